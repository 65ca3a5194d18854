import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

const root = join(import.meta.dirname, '../../..')

describe('configuration', () => {
  it('has the embedded defaults of SPEC §2', () => {
    const config = loadConfig({}, '/srv')
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      dataDir: '/srv/data',
      MAX_RECORDING_BYTES: 4 * 1024 ** 3,
      MAX_RECORDING_DURATION_S: 4 * 3600,
      IDLE_TIMEOUT_S: 300,
      MAX_FRAME_BYTES: 1024 ** 2,
      RATE_LIMIT_PER_MIN: 600,
      LOG_LEVEL: 'info',
      corsOrigins: '*',
    })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.WEBHOOK_URL).toBeUndefined()
    expect(config.WEBHOOK_MAX_AGE_S).toBe(86_400)
  })

  it('takes a Standard Webhooks secret with its URL', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
    const config = loadConfig({ WEBHOOK_URL: 'https://hooks.example/in', WEBHOOK_SECRET: secret })
    expect(config).toMatchObject({ WEBHOOK_URL: 'https://hooks.example/in', WEBHOOK_SECRET: secret })
  })

  it.each([
    [{ PORT: 'abc' }, /^invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /^invalid configuration: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^invalid configuration: DATABASE_URL /],
    [{ JWT_SECRET: 'short' }, /^invalid configuration: JWT_SECRET must be at least 32 bytes/],
    [{ LOG_LEVEL: 'loud' }, /^invalid configuration: LOG_LEVEL /],
    [{ NODE_ENV: 'production' }, /^invalid configuration: DATABASE_URL is required in production$/],
    [
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' },
      /^invalid configuration: JWT_SECRET is required in production unless JWKS_URL is set$/,
    ],
    [{ WEBHOOK_URL: 'ftp://x' }, /^invalid configuration: WEBHOOK_URL /],
    [
      { WEBHOOK_URL: 'https://hooks.example' },
      /^invalid configuration: WEBHOOK_SECRET is required with WEBHOOK_URL$/,
    ],
    [
      { WEBHOOK_SECRET: 'secret' },
      /^invalid configuration: WEBHOOK_SECRET must be whsec_ followed by base64/,
    ],
    [
      { WEBHOOK_SECRET: 'whsec_c2hvcnQ=' },
      /^invalid configuration: WEBHOOK_SECRET must hold at least 24 bytes/,
    ],
    [{ WEBHOOK_MAX_AGE_S: '0' }, /^invalid configuration: WEBHOOK_MAX_AGE_S /],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('closes CORS in production unless origins are listed', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'x'.repeat(32) }
    expect(loadConfig(base).corsOrigins).toEqual([])
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(
      ['https://a.example', 'https://b.example'],
    )
  })

  it('stops the process with exit 1 and one line on stderr', () => {
    const run = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, PORT: 'not-a-port' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    )
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^invalid configuration: PORT /)])
  })
})
