import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { sha256Hex } from './support/rest.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Two processes of the service on one PostgreSQL, one Redis and one media directory (a shared
// volume): what runs behind a load balancer. PGlite cannot be shared between processes.
const why = POSTGRES_UNAVAILABLE ?? REDIS_UNAVAILABLE
const RATE_LIMIT = 40

describe.skipIf(why !== null)(
  `two instances behind one load balancer${why ? ` (skipped: ${why})` : ''}`,
  () => {
    let a: ChildServer
    let b: ChildServer
    const cleanups: (() => Promise<unknown>)[] = []
    beforeAll(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'rec-two-'))
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
      const database = await freshPostgresDatabase()
      cleanups.push(database.drop)
      const env = {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        REDIS_URL: await redisServerUrl(),
        RATE_LIMIT_PER_MIN: String(RATE_LIMIT),
        LOG_LEVEL: 'info',
      }
      // One after the other: both run the migrations, under the advisory lock.
      a = await startChildServer(env)
      cleanups.push(() => a.stop('SIGKILL'))
      b = await startChildServer(env)
      cleanups.push(() => b.stop('SIGKILL'))
    }, 120_000)
    afterAll(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    /** A new user per test: the shared rate limit then never spills from one test into another. */
    async function user() {
      const token = await signToken(crypto.randomUUID())
      const call = (server: ChildServer, method: string, path: string, init: RequestInit = {}) =>
        fetch(`${server.url}/api/v1${path}`, {
          ...init,
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        })
      const start = async (server: ChildServer): Promise<string> => {
        const res = await call(server, 'POST', '/recordings/start', {
          body: JSON.stringify({ sessionId: crypto.randomUUID() }),
        })
        expect(res.status).toBe(201)
        return ((await res.json()) as { id: string }).id
      }
      const stream = (server: ChildServer, id: string) =>
        new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
      return { token, call, start, stream }
    }
    const media = (size: number): Uint8Array =>
      new Uint8Array(size).map((_, i) => (i * 131 + (i >> 9)) & 0xff)
    const json = async (res: Response): Promise<Record<string, unknown>> =>
      (await res.json()) as Record<string, unknown>

    it('stops on B a recording started on A; A reads the change at once', async () => {
      const u = await user()
      const id = await u.start(a)
      expect(await json(await u.call(a, 'GET', `/recordings/${id}/status`))).toMatchObject({
        status: 'recording',
      })
      const stopped = await u.call(b, 'POST', `/recordings/${id}/stop`)
      expect(await json(stopped)).toMatchObject({ status: 'completed', sizeBytes: 0 })
      // A cached the status in Redis; B's write invalidated it for every instance.
      expect(await json(await u.call(a, 'GET', `/recordings/${id}/status`))).toMatchObject({
        status: 'completed',
      })
    })

    it('keeps list totals current on both instances when the other one writes', async () => {
      const u = await user()
      const total = async (server: ChildServer, query = ''): Promise<unknown> =>
        ((await json(await u.call(server, 'GET', `/recordings${query}`))).pagination as { total: number })
          .total
      const first = await u.start(a)
      // Both instances have now counted (and kept) the totals.
      expect([await total(a), await total(b), await total(b, '?status=completed')]).toEqual([1, 1, 0])
      const second = await u.start(b)
      expect([await total(a), await total(b)]).toEqual([2, 2])
      await u.call(b, 'POST', `/recordings/${first}/stop`)
      expect(await total(a, '?status=completed')).toBe(1)
      expect((await u.call(a, 'DELETE', `/recordings/${second}`)).status).toBe(204)
      expect([await total(a), await total(b)]).toEqual([1, 1])
    })

    it('resumes on B a stream cut on A, byte for byte', async () => {
      const u = await user()
      const id = await u.start(a)
      const bytes = media(3 * 1024 * 1024 + 123)
      const first = u.stream(a, id)
      await first.ofType('ready')
      const half = 1536 * 1024
      for (let at = 0; at < half; at += 64 * 1024)
        await first.send(bytes.subarray(at, Math.min(at + 64 * 1024, half)))
      await first.ackedAtLeast(half)
      first.socket.terminate() // the network drops; no close frame, no stop
      await first.closed
      const acked = first.lastAck()

      const second = u.stream(b, id)
      const ready = await second.ofType('ready')
      expect(ready.offset).toBeGreaterThanOrEqual(acked)
      for (let at = ready.offset ?? 0; at < bytes.byteLength; at += 64 * 1024) {
        await second.send(bytes.subarray(at, Math.min(at + 64 * 1024, bytes.byteLength)))
      }
      await second.send(JSON.stringify({ type: 'stop' }))
      const completed = await second.ofType('completed')
      expect(completed.recording).toMatchObject({
        status: 'completed',
        sizeBytes: bytes.byteLength,
        checksum: `sha256:${await sha256Hex(bytes)}`,
      })
      const content = await u.call(a, 'GET', `/recordings/${id}/content`)
      expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), bytes)).toBe(0)
    })

    it("delivers A's changes to an events client on B", async () => {
      const u = await user()
      const events = new TestSocket(`${b.wsUrl}/api/v1/events?token=${u.token}`)
      await events.ofType('ready')
      const id = await u.start(a)
      await u.call(a, 'POST', `/recordings/${id}/stop`)
      const statuses = async (): Promise<unknown[]> => {
        await events.next((m) => m.recording?.id === id && m.recording.status === 'completed')
        return events.messages.filter((m) => m.recording?.id === id).map((m) => m.recording?.status)
      }
      expect(await statuses()).toEqual(['recording', 'stopping', 'completed'])
      events.close()
    })

    it('limits requests spread over both instances as one', async () => {
      const u = await user()
      const statuses: number[] = []
      for (let i = 0; i <= RATE_LIMIT; i++) {
        const res = await u.call(i % 2 ? b : a, 'GET', '/recordings?limit=1')
        statuses.push(res.status)
        if (i === RATE_LIMIT) {
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
          expect(res.headers.get('ratelimit-remaining')).toBe('0')
        }
      }
      expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true)
      expect(statuses[RATE_LIMIT]).toBe(429)
    })

    it("ends A's stream cleanly when B stops the recording, and never acks a byte it did not keep", async () => {
      const u = await user()
      const id = await u.start(a)
      const bytes = media(16 * 1024 * 1024)
      const socket = u.stream(a, id)
      await socket.ofType('ready')
      let sending = true
      const pump = (async () => {
        for (
          let at = 0;
          sending && at < bytes.byteLength && socket.socket.readyState === 1;
          at += 32 * 1024
        ) {
          await socket.send(bytes.subarray(at, at + 32 * 1024)).catch(() => {})
          await new Promise((resolve) => setTimeout(resolve, 2))
        }
      })()
      await socket.ackedAtLeast(256 * 1024)
      const stopped = await json(await u.call(b, 'POST', `/recordings/${id}/stop`))
      expect(stopped).toMatchObject({ status: 'completed' })
      const closed = await socket.closed
      sending = false
      await pump
      expect([1000, 4409]).toContain(closed.code)
      if (closed.code === 4409) {
        expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'RECORDING_NOT_RECORDING' })
      }
      const size = Number(stopped.sizeBytes)
      expect(socket.lastAck()).toBeLessThanOrEqual(size)
      const content = new Uint8Array(
        await (await u.call(a, 'GET', `/recordings/${id}/content`)).arrayBuffer(),
      )
      expect(content.byteLength).toBe(size)
      expect(Buffer.compare(content, bytes.subarray(0, size))).toBe(0)
      expect(stopped.checksum).toBe(`sha256:${await sha256Hex(content)}`)
    })

    it('names Redis in both start-up logs', () => {
      for (const server of [a, b]) {
        expect(server.lines.find((line) => line.includes('listening'))).toMatch(
          /cache, events, rate limits: redis \(/,
        )
      }
    })

    it('names the shared topology in both start-up logs', () => {
      for (const server of [a, b]) {
        expect(server.lines.find((line) => line.includes('listening'))).toMatch(/\(topology: shared; /)
      }
    })
  },
)
