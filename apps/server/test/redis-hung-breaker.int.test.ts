import { openRedis } from '@rec/adapters-redis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisServerBinary, startOwnRedisServer } from '#test-support/redis-server.js'
import { rest } from './support/rest.js'
import { unavailable } from './support/test-database.js'
import { startTestServer } from './support/test-server.js'
import { until } from './support/until.js'

// A hung Redis (SIGSTOP: connections open, nothing answers) on a redis-server of the test's own.
// Without a breaker every Redis call of a request waits its whole 500 ms deadline.
const binary = await redisServerBinary()
const backend = unavailable('postgres') === null ? 'postgres' : 'pglite'

/** This suite's bound for waiting on the service (the shared poller in ./support/until.ts). */
const waitFor = <T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> =>
  until(probe, timeoutMs, 50)

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await call()
  return { value, ms: performance.now() - started }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

describe.skipIf(!binary)(
  `a hung Redis behind a circuit breaker, on ${backend}${binary ? '' : ' (skipped: redis-server is not on PATH)'}`,
  () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    it('fails Redis calls fast once open, serves from PostgreSQL at normal latency, and closes when Redis answers', async () => {
      const redis = await startOwnRedisServer()
      cleanups.push(() => redis.dispose())
      const server = await startTestServer(backend, { REDIS_URL: redis.url })
      cleanups.push(() => server.dispose())
      const api = rest(server, await server.token(crypto.randomUUID()))
      const breakerOpen = async (): Promise<number> => {
        const text = await (await fetch(`${server.url}/metrics`)).text()
        return Number(text.match(/^redis_circuit_breaker_open (\d+)$/m)?.[1] ?? Number.NaN)
      }
      const { id } = await api.start()
      expect((await api.call('GET', `/recordings/${id}/status`)).status).toBe(200)
      expect(await breakerOpen()).toBe(0)

      redis.pause()
      // The first requests pay the deadline until the breaker has seen enough failures.
      const tripping: number[] = []
      await waitFor(async () => {
        const { value, ms } = await timed(() => api.call('GET', `/recordings/${id}/status`))
        expect(value.status).toBe(200)
        tripping.push(ms)
        return (await breakerOpen()) === 1 ? true : null
      })

      const reads: number[] = []
      const stops: number[] = []
      for (let n = 0; n < 10; n++) {
        const read = await timed(() => api.call('GET', `/recordings/${id}/status`))
        expect(read.value.status).toBe(200)
        reads.push(read.ms)
      }
      for (let n = 0; n < 5; n++) {
        const { id: other } = await api.start()
        const stop = await timed(() => api.stop(other))
        expect(stop.value.status).toBe(200)
        expect(await stop.value.json()).toMatchObject({ status: 'completed' })
        stops.push(stop.ms)
      }
      const ready = await timed(() => fetch(`${server.url}/health/ready`))
      console.log(
        `hung redis: ${tripping.length} requests to open the breaker (${tripping.map((ms) => ms.toFixed(0)).join(', ')} ms); ` +
          `then status reads median ${median(reads).toFixed(1)} ms, stops median ${median(stops).toFixed(1)} ms, readiness ${ready.ms.toFixed(0)} ms`,
      )
      expect(median(reads)).toBeLessThan(200)
      expect(median(stops)).toBeLessThan(200)
      expect(ready.value.status).toBe(503)
      expect(await ready.value.json()).toMatchObject({ checks: { redis: 'failing' } })
      expect(ready.ms).toBeLessThan(400)

      redis.resume()
      await waitFor(async () => ((await breakerOpen()) === 0 ? true : null))
      // The cache is used again: the next read fills the recording's key in Redis.
      const probe = await openRedis(redis.url, { onError: () => {} })
      cleanups.push(() => probe.close())
      await waitFor(async () => {
        expect((await api.call('GET', `/recordings/${id}/status`)).status).toBe(200)
        return (await probe.commands.get(`rec:v1:recording:${id}`))?.includes(id) ? true : null
      })
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200)
    }, 120_000)
  },
)
