import { openRedis } from '@rec/adapters-redis'
import { afterEach, describe, expect, it } from 'vitest'
import { type OwnRedisServer, redisServerBinary, startOwnRedisServer } from '#test-support/redis-server.js'
import { rest } from './support/rest.js'
import { unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { until } from './support/until.js'
import { TestSocket } from './support/ws-client.js'

// Each test runs the whole service on a redis-server of its own, kills it and starts it again on
// the same port: the shared Redis other suites use is never touched.
const binary = await redisServerBinary()
const backend = unavailable('postgres') === null ? 'postgres' : 'pglite'

/** This suite's bound for waiting on the service (the shared poller in ./support/until.ts). */
const waitFor = <T>(probe: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> => until(probe, timeoutMs)

async function timed(call: () => Promise<Response>): Promise<{ status: number; ms: number; res: Response }> {
  const started = performance.now()
  const res = await call()
  return { status: res.status, ms: performance.now() - started, res }
}

describe.skipIf(!binary)(
  `the service while Redis is down, on ${backend}${binary ? '' : ' (skipped: redis-server is not on PATH)'}`,
  () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })
    async function setUp(
      env: Record<string, string> = {},
    ): Promise<{ redis: OwnRedisServer; server: TestServer }> {
      const redis = await startOwnRedisServer()
      cleanups.push(() => redis.dispose())
      const server = await startTestServer(backend, { REDIS_URL: redis.url, ...env })
      cleanups.push(() => server.dispose())
      return { redis, server }
    }
    const ready = async (server: TestServer): Promise<{ status: number; checks: Record<string, string> }> => {
      const res = await fetch(`${server.url}/health/ready`)
      return { status: res.status, checks: ((await res.json()) as { checks: Record<string, string> }).checks }
    }

    it('serves reads from PostgreSQL at once, names Redis in readiness, and recovers by itself', async () => {
      const { redis, server } = await setUp()
      const api = rest(server, await server.token(crypto.randomUUID()))
      const { id } = await api.start()
      expect((await api.call('GET', `/recordings/${id}/status`)).status).toBe(200)
      const probe = await openRedis(redis.url, { onError: () => {} })
      expect(await probe.commands.get(`rec:v1:recording:${id}`)).toContain(id)
      await probe.close()

      await redis.kill()
      const calls = [
        () => api.call('GET', `/recordings/${id}/status`),
        () => api.call('GET', `/recordings/${id}`),
        () => api.call('GET', '/recordings?limit=5'),
        () => api.call('POST', `/recordings/${id}/stop`),
        () => api.call('GET', `/recordings/${id}/status`),
      ]
      for (const call of calls) {
        const { status, ms } = await timed(call)
        expect(status).toBe(200)
        expect(ms).toBeLessThan(500)
      }
      expect(await ready(server)).toMatchObject({ status: 503, checks: { postgres: 'ok', redis: 'failing' } })

      await redis.restart()
      const startedAt = Date.now()
      await waitFor(async () => ((await ready(server)).status === 200 ? true : null))
      expect(Date.now() - startedAt).toBeLessThan(5000)
      const status = (await (await api.call('GET', `/recordings/${id}/status`)).json()) as { status: string }
      expect(status.status).toBe('completed')
    })

    it('lets requests through while Redis is down by default (RATE_LIMIT_ON_REDIS_DOWN=open)', async () => {
      const { redis, server } = await setUp({ RATE_LIMIT_PER_MIN: '3' })
      const api = rest(server, await server.token(crypto.randomUUID()))
      const statuses = async (n: number): Promise<number[]> => {
        const out: number[] = []
        for (let i = 0; i < n; i++) out.push((await api.call('GET', '/recordings')).status)
        return out
      }
      expect(await statuses(4)).toEqual([200, 200, 200, 429])
      await redis.kill()
      expect(await statuses(5)).toEqual([200, 200, 200, 200, 200])
      await redis.restart()
      await waitFor(async () => ((await ready(server)).status === 200 ? true : null))
      // The restarted server is empty: a fresh quota, enforced again.
      expect(await statuses(4)).toEqual([200, 200, 200, 429])
    })

    it('answers 503 with Retry-After while Redis is down with RATE_LIMIT_ON_REDIS_DOWN=closed', async () => {
      const { redis, server } = await setUp({ RATE_LIMIT_ON_REDIS_DOWN: 'closed' })
      const api = rest(server, await server.token(crypto.randomUUID()))
      expect((await api.call('GET', '/recordings')).status).toBe(200)
      await redis.kill()
      const { status, ms, res } = await timed(() => api.call('GET', '/recordings'))
      expect(status).toBe(503)
      expect(ms).toBeLessThan(500)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(await res.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503 })
      // Probes are not rate-limited: liveness stays up, readiness names the failing backend.
      expect((await fetch(`${server.url}/health`)).status).toBe(200)
      expect((await ready(server)).checks.redis).toBe('failing')
      await redis.restart()
      await waitFor(async () => ((await api.call('GET', '/recordings')).status === 200 ? true : null))
    })

    it('restores live events after Redis returns; refuses new events clients while it is down', async () => {
      const { redis, server } = await setUp()
      const token = await server.token(crypto.randomUUID())
      const api = rest(server, token)
      const lost = new TestSocket(`${server.wsUrl}/api/v1/events`, { authorization: `Bearer ${token}` })
      cleanups.push(async () => lost.close())
      await lost.ofType('ready')

      await redis.kill()
      // Connected clients are told (1013: reconnect and re-read), never left open and deaf.
      expect((await lost.closed).code).toBe(1013)
      // Another user: this instance holds no subscription for them, so it needs Redis to subscribe.
      const other = await server.token(crypto.randomUUID())
      const refused = new TestSocket(`${server.wsUrl}/api/v1/events`, { authorization: `Bearer ${other}` })
      expect(await refused.next((m) => m.type === 'error')).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' })
      expect((await refused.closed).code).toBe(1013)
      // Changes still succeed; their events are lost (pub/sub is at most once).
      const { id } = await api.start()

      await redis.restart()
      await waitFor(async () => ((await ready(server)).status === 200 ? true : null))
      // The client reconnects; the subscriber may be back a moment after the readiness check.
      const events = await waitFor(async () => {
        const socket = new TestSocket(`${server.wsUrl}/api/v1/events`, { authorization: `Bearer ${token}` })
        cleanups.push(async () => socket.close())
        const opened = await Promise.race([socket.ofType('ready'), socket.closed.then(() => null)])
        return opened ? socket : null
      })
      // Retry the change until one arrives.
      // Delivery may trail the HTTP answer by a moment: any of the retried changes arriving counts.
      const retried = new Set<string>()
      await waitFor(async () => {
        const sessionId = crypto.randomUUID()
        retried.add(sessionId)
        await api.start(sessionId)
        return events.messages.some(
          (m) => m.type === 'recording.updated' && retried.has(String(m.recording?.sessionId)),
        )
          ? true
          : null
      })
      expect(events.messages.some((m) => m.recording?.id === id)).toBe(false)
    })
  },
)
