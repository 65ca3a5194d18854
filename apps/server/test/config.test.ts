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
      pgliteDir: '/srv/data/pg',
      MAX_RECORDING_BYTES: 4 * 1024 ** 3,
      MAX_RECORDING_DURATION_S: 4 * 3600,
      IDLE_TIMEOUT_S: 300,
      MAX_FRAME_BYTES: 1024 ** 2,
      MAX_SOCKETS_PER_USER: 20,
      RATE_LIMIT_PER_MIN: 600,
      LOG_LEVEL: 'info',
      corsOrigins: '*',
    })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(loadConfig({ DATABASE_URL: 'postgres://db/app' }, '/srv').pgliteDir).toBeNull()
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
    [{ MAX_SOCKETS_PER_USER: '0' }, /^invalid configuration: MAX_SOCKETS_PER_USER .*\(got "0"\)$/],
    [{ MAX_SOCKETS_PER_USER: 'many' }, /^invalid configuration: MAX_SOCKETS_PER_USER .*\(got "many"\)$/],
    [{ NODE_ENV: 'production' }, /^invalid configuration: DATABASE_URL is required in production$/],
    [{ BLOB_STORE: 'nfs' }, /^invalid configuration: BLOB_STORE .*\(got "nfs"\)$/],
    [{ BLOB_STORE: 's3' }, /^invalid configuration: S3_BUCKET is required when BLOB_STORE=s3$/],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'Bad_Bucket' },
      /^invalid configuration: S3_BUCKET must be an S3 bucket name/,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'media', S3_ENDPOINT: 'ftp://x' },
      /^invalid configuration: S3_ENDPOINT /,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'media', S3_FORCE_PATH_STYLE: 'yes' },
      /^invalid configuration: S3_FORCE_PATH_STYLE /,
    ],
    [
      { BLOB_STORE: 's3', S3_BUCKET: 'media', S3_PREFIX: 'media' },
      /^invalid configuration: S3_PREFIX must end with "\/"/,
    ],
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

  it('takes the S3 settings of SPEC §12, with the file system as the default store', () => {
    expect(loadConfig({})).toMatchObject({ BLOB_STORE: 'fs', S3_REGION: 'us-east-1', S3_PREFIX: '' })
    const s3 = {
      BLOB_STORE: 's3',
      S3_BUCKET: 'rec-media',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: 'media/',
    }
    expect(loadConfig(s3)).toMatchObject(s3)
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

  it('takes the topology from TOPOLOGY, else from whether REDIS_URL is set, and refuses shared without Redis', () => {
    expect(loadConfig({}).topology).toBe('single')
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).topology).toBe('shared')
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', TOPOLOGY: 'single' }).topology).toBe('single')
    expect(() => loadConfig({ TOPOLOGY: 'shared' })).toThrow(
      /^invalid configuration: TOPOLOGY shared requires REDIS_URL/,
    )
    expect(() => loadConfig({ TOPOLOGY: 'cluster' })).toThrow(
      /^invalid configuration: TOPOLOGY .*\(got "cluster"\)$/,
    )
  })
})
