import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { loadConfig } from '../src/config.js'
import { type RunningServer, startServer } from '../src/start-server.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken, TEST_SECRET } from './support/test-server.js'
import { until } from './support/until.js'

// Each instance holds list pages under the user's list version (domain `ListPages`), for the
// cache TTL (60 s). A write of any of the user's rows must move the version, on the instance
// that wrote and, through Redis, on every other: a page read before the write is never served
// after it. A held page is what these tests catch: one left stale would be served for a minute.
const why = POSTGRES_UNAVAILABLE ?? REDIS_UNAVAILABLE

interface Item {
  readonly id: string
  readonly status: string
  readonly sizeBytes: number
}
interface Page {
  readonly data: readonly Item[]
  readonly pagination: { readonly total: number }
}

describe.skipIf(why !== null)(`list pages are never served stale${why ? ` (skipped: ${why})` : ''}`, () => {
  const cleanups: (() => Promise<unknown>)[] = []
  let databaseUrl = ''
  let single: RunningServer
  let a: RunningServer
  let b: RunningServer

  beforeAll(async () => {
    const database = await freshPostgresDatabase()
    cleanups.push(database.drop)
    databaseUrl = database.url
    const start = async (env: Record<string, string>) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'rec-pages-'))
      const config = loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        JWT_SECRET: TEST_SECRET,
        LOG_LEVEL: 'silent',
        DATABASE_URL: database.url,
        ...env,
      })
      const server = await startServer(config, pino({ level: 'silent' }))
      cleanups.push(async () => {
        await server.close()
        await rm(dataDir, { recursive: true, force: true })
      })
      return server
    }
    // In-process versions: one instance on its own. Redis versions: two instances sharing them
    // (and one media directory each is enough: the test's PATCH and stop go to the same one).
    single = await start({})
    const redis = { REDIS_URL: await redisServerUrl() }
    a = await start(redis)
    b = await start(redis)
  }, 120_000)

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** SQL behind the service's back: a row changed so, without a write through it, shows only when read again. */
  async function sql(text: string, values: unknown[]): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      await client.query(text, values)
    } finally {
      await client.end()
    }
  }

  async function user() {
    const token = await signToken(crypto.randomUUID())
    const call = (server: RunningServer, method: string, path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/api/v1${path}`, {
        ...init,
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      })
    const list = async (server: RunningServer): Promise<Page> => {
      const res = await call(server, 'GET', '/recordings?page=1&limit=20')
      expect(res.status).toBe(200)
      return (await res.json()) as Page
    }
    return { call, list }
  }

  const cases: [string, () => [RunningServer, RunningServer]][] = [
    ['on one instance (in-process versions)', () => [single, single]],
    ['written on A, listed on B (versions in Redis)', () => [a, b]],
  ]

  it.each(cases)('start, progress, stop and delete each show at once %s', async (_name, servers) => {
    const [writer, reader] = servers()
    const u = await user()
    expect((await u.list(reader)).data).toEqual([])

    const started = await u.call(writer, 'POST', '/recordings/start', {
      body: JSON.stringify({ sessionId: crypto.randomUUID() }),
    })
    expect(started.status).toBe(201)
    const { id } = (await started.json()) as { id: string }
    expect((await u.list(reader)).data.map((r) => [r.id, r.status])).toEqual([[id, 'recording']])

    // The page is held: a change made behind the service's back does not show...
    await sql('update recordings set size_bytes = 777 where id = $1', [id])
    expect((await u.list(reader)).data[0]?.sizeBytes).toBe(0)

    // ...but a progress save does, though it runs behind the PATCH's answer.
    const patched = await u.call(writer, 'PATCH', `/recordings/${id}/content`, {
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: new Uint8Array(1000).fill(7),
    })
    expect(patched.status).toBe(204)
    await until(async () => ((await u.list(reader)).data[0]?.sizeBytes === 1000 ? true : null), 5_000)

    const stopped = await u.call(writer, 'POST', `/recordings/${id}/stop`)
    expect(stopped.status).toBe(200)
    expect((await u.list(reader)).data.map((r) => [r.status, r.sizeBytes])).toEqual([['completed', 1000]])
    // Another one, deleted (the completed one is left to its media job, which reads its bytes).
    const other = await u.call(writer, 'POST', '/recordings/start', {
      body: JSON.stringify({ sessionId: crypto.randomUUID() }),
    })
    const otherId = ((await other.json()) as { id: string }).id
    expect((await u.list(reader)).data.map((r) => r.id)).toEqual([otherId, id])
    const deleted = await u.call(writer, 'DELETE', `/recordings/${otherId}`)
    expect(deleted.status).toBe(204)
    const after = await u.list(reader)
    expect(after.data.map((r) => r.id)).toEqual([id])
    expect(after.pagination.total).toBe(1)
  })

  it('a page held on A is not served after a write through B, nor one held on B after a write through A', async () => {
    const u = await user()
    const start = async (server: RunningServer) => {
      const res = await u.call(server, 'POST', '/recordings/start', {
        body: JSON.stringify({ sessionId: crypto.randomUUID() }),
      })
      return ((await res.json()) as { id: string }).id
    }
    const first = await start(a)
    expect((await u.list(a)).data.map((r) => r.id)).toEqual([first])
    expect((await u.list(b)).data.map((r) => r.id)).toEqual([first])
    const second = await start(b)
    expect((await u.list(a)).data.map((r) => r.id)).toEqual([second, first])
    expect((await u.call(a, 'POST', `/recordings/${second}/stop`)).status).toBe(200)
    expect((await u.list(b)).data.map((r) => r.status)).toEqual(['completed', 'recording'])
  })
})
