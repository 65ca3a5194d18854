import { afterEach, describe, expect, it } from 'vitest'
import { type OwnRedisServer, redisServerBinary, startOwnRedisServer } from '#test-support/redis-server.js'
import { rest } from './support/rest.js'
import { unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { until } from './support/until.js'
import { TestSocket } from './support/ws-client.js'

// Live events during a Redis outage (SPEC §7): events published while the subscriber connection is
// down are lost, so connected /events clients are told with an error frame and close 1013
// (reconnect with backoff, then re-read), never left open and silently deaf.
const binary = await redisServerBinary()
const backend = unavailable('postgres') === null ? 'postgres' : 'pglite'

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing in ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** This suite's bound for waiting on the service (the shared poller in ./support/until.ts). */
const waitFor = <T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> => until(probe, timeoutMs)

describe.skipIf(!binary)(
  `live events while Redis is lost, on ${backend}${binary ? '' : ' (skipped: redis-server is not on PATH)'}`,
  () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })
    async function setUp(): Promise<{ redis: OwnRedisServer; server: TestServer; token: string }> {
      const redis = await startOwnRedisServer()
      cleanups.push(() => redis.dispose())
      const server = await startTestServer(backend, { REDIS_URL: redis.url })
      cleanups.push(() => server.dispose())
      return { redis, server, token: await server.token(crypto.randomUUID()) }
    }
    const connect = async (server: TestServer, token: string): Promise<TestSocket> => {
      const socket = new TestSocket(`${server.wsUrl}/api/v1/events`, { authorization: `Bearer ${token}` })
      cleanups.push(async () => socket.close())
      return socket
    }

    it('closes connected clients with 1013 when Redis dies; they are served again once it is back', async () => {
      const { redis, server, token } = await setUp()
      const api = rest(server, token)
      const first = await connect(server, token)
      const second = await connect(server, token)
      await Promise.all([first.ofType('ready'), second.ofType('ready')])

      await redis.kill()
      for (const socket of [first, second]) {
        const closed = await within(socket.closed, 15_000, 'close after Redis died')
        expect(closed.code).toBe(1013)
        expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'DEPENDENCY_UNAVAILABLE' })
      }
      // A reconnect while Redis is down does not get a deaf subscription either.
      const early = await connect(server, token)
      expect((await within(early.closed, 15_000, 'refusal while down')).code).toBe(1013)
      expect(early.messages.some((m) => m.type === 'ready')).toBe(false)

      await redis.restart()
      const back = await waitFor(async () => {
        const socket = await connect(server, token)
        const ready = await within(
          Promise.race([socket.ofType('ready'), socket.closed.then(() => null)]),
          5000,
          'ready',
        )
        return ready ? socket : null
      })
      const { id } = await api.start()
      expect(await back.next((m) => m.type === 'recording.updated' && m.recording?.id === id)).toBeTruthy()
    }, 90_000)

    it('closes connected clients with 1013 when Redis hangs (SIGSTOP)', async () => {
      const { redis, server, token } = await setUp()
      const socket = await connect(server, token)
      await socket.ofType('ready')
      redis.pause()
      cleanups.push(async () => redis.resume())
      // The subscriber connection is silent for 3 s, dropped and reconnected: the client hears it.
      const closed = await within(socket.closed, 20_000, 'close after Redis hung')
      expect(closed.code).toBe(1013)
      expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'DEPENDENCY_UNAVAILABLE' })
    }, 60_000)
  },
)
