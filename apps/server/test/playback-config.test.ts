import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'
import { resolvePlaybackSecret } from '../src/playback-secret.js'

const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }
const key = 'a-playback-signing-key-of-32-bytes-or-more'

describe('playback configuration', () => {
  it('defaults PLAYBACK_URL_TTL_S to 3600 and validates it, PLAYBACK_SIGNING_KEY and PUBLIC_URL', () => {
    expect(loadConfig({}).PLAYBACK_URL_TTL_S).toBe(3600)
    expect(loadConfig({ PLAYBACK_URL_TTL_S: '60' }).PLAYBACK_URL_TTL_S).toBe(60)
    for (const [env, message] of [
      [{ PLAYBACK_URL_TTL_S: '0' }, /^invalid configuration: PLAYBACK_URL_TTL_S .*\(got "0"\)$/],
      [{ PLAYBACK_URL_TTL_S: '1h' }, /^invalid configuration: PLAYBACK_URL_TTL_S /],
      [{ PLAYBACK_URL_TTL_S: '604801' }, /^invalid configuration: PLAYBACK_URL_TTL_S /],
      [
        { PLAYBACK_SIGNING_KEY: 'short' },
        /^invalid configuration: PLAYBACK_SIGNING_KEY must be at least 32 bytes/,
      ],
      [{ PUBLIC_URL: 'ftp://x' }, /^invalid configuration: PUBLIC_URL /],
    ] as const) {
      expect(() => loadConfig(env)).toThrow(ConfigError)
      expect(() => loadConfig(env)).toThrow(message)
    }
  })

  it('requires PLAYBACK_SIGNING_KEY in production with JWKS only; not with a JWT secret', () => {
    const jwks = { ...prod, JWKS_URL: 'https://idp.example.com/jwks.json' }
    expect(() => loadConfig(jwks)).toThrow(
      /^invalid configuration: PLAYBACK_SIGNING_KEY is required in production when JWKS_URL is set without JWT_SECRET$/,
    )
    expect(loadConfig({ ...jwks, PLAYBACK_SIGNING_KEY: key }).PLAYBACK_SIGNING_KEY).toBe(key)
    expect(() => loadConfig({ ...prod, JWT_SECRET: key })).not.toThrow()
  })

  it('derives from PLAYBACK_SIGNING_KEY, else the JWT secret, else a secret generated once into DATA_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rec-playback-'))
    try {
      const jwt = new TextEncoder().encode('the-jwt-secret-that-is-32-bytes-long!!')
      const explicit = await resolvePlaybackSecret(
        loadConfig({ DATA_DIR: dir, PLAYBACK_SIGNING_KEY: key }),
        jwt,
      )
      expect(new TextDecoder().decode(explicit)).toBe(key)
      expect(await resolvePlaybackSecret(loadConfig({ DATA_DIR: dir }), jwt)).toBe(jwt)
      const jwksOnly = loadConfig({ DATA_DIR: dir, JWKS_URL: 'https://idp.example.com/jwks.json' })
      const generated = await resolvePlaybackSecret(jwksOnly, null)
      expect(generated.byteLength).toBeGreaterThanOrEqual(32)
      expect(await resolvePlaybackSecret(jwksOnly, null)).toEqual(generated)
      expect((await readFile(join(dir, 'playback-secret'), 'utf8')).trim()).toBe(
        new TextDecoder().decode(generated),
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
