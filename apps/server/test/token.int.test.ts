import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { type RunningServer, startServer } from '../src/start-server.js'
import { freshPostgresDatabase } from './support/test-database.js'

const root = join(import.meta.dirname, '../../..')
const token = (dataDir: string, ...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'apps/server/src/token.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: '' },
      encoding: 'utf8',
      timeout: 30_000,
    },
  )

describe('pnpm token', () => {
  let dataDir: string
  let server: RunningServer
  let drop = async (): Promise<void> => {}
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rec-token-'))
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    }
    if (process.env.TEST_DATABASE_URL) {
      const db = await freshPostgresDatabase()
      drop = db.drop
      env.DATABASE_URL = db.url
    }
    // No JWT_SECRET: the development secret is generated once into DATA_DIR and shared with the CLI.
    server = await startServer(loadConfig(env), pino({ level: 'silent' }))
  })
  afterAll(async () => {
    await server?.close()
    await drop()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('prints a JWT the running development server accepts, for the given user', async () => {
    const sub = crypto.randomUUID()
    const run = token(dataDir, '--sub', sub, '--ttl', '10m')
    expect(run.status).toBe(0)
    const jwt = run.stdout.trim()
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString())
    expect(payload.sub).toBe(sub)
    expect(payload.exp - payload.iat).toBe(600)
    const res = await fetch(`${server.url}/api/v1/recordings`, {
      headers: { authorization: `Bearer ${jwt}` },
    })
    expect(res.status).toBe(200)
  })

  it('refuses a --sub that is not a UUID and a --ttl it cannot read', () => {
    expect(token(dataDir, '--sub', 'alice').status).toBe(1)
    expect(token(dataDir, '--ttl', 'forever').status).toBe(1)
  })

  it('prints its usage on --help and -h, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const run = token(dataDir, flag)
      expect(run.status).toBe(0)
      expect(run.stdout).toMatch(/^Usage: pnpm token \[--sub UUID\] \[--ttl 1h\]\n/)
      expect(run.stdout).toContain('--ttl')
      expect(run.stderr).toBe('')
    }
  })

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--sub'], /--sub/],
  ])('refuses %o with one line of error and no stack trace, exit 1', (args, message) => {
    const run = token(dataDir, ...args)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines).toEqual([expect.stringMatching(message)])
    expect(run.stderr).not.toMatch(/\bat \S+ \(|TypeError|node:internal/)
  })
})
