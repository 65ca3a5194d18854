import { DependencyUnavailableError, type RecordingUpdated } from '@rec/domain'
import { makeRecording } from '@rec/domain/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OwnRedisServer, redisServerBinary, startOwnRedisServer } from '#test-support/redis-server.js'
import { openRedis, RedisCache, type RedisConnection, RedisEventBus, RedisRateLimiter } from '../src/index.js'

const binary = await redisServerBinary()

/** How long a promise takes to settle, and whether it rejected with the domain's outage error. */
async function timed(work: Promise<unknown>): Promise<{ ms: number; unavailable: boolean }> {
  const started = performance.now()
  const unavailable = await work.then(
    () => false,
    (error: unknown) => error instanceof DependencyUnavailableError,
  )
  return { ms: performance.now() - started, unavailable }
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.skipIf(!binary)(`Redis outages${binary ? '' : ' (skipped: redis-server is not on PATH)'}`, () => {
  let server: OwnRedisServer
  let one: RedisConnection
  let two: RedisConnection
  const errors: Error[] = []
  beforeAll(async () => {
    server = await startOwnRedisServer()
    const onError = (error: Error): void => {
      errors.push(error)
    }
    one = await openRedis(server.url, { onError })
    two = await openRedis(server.url, { onError })
  })
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()])
    await server?.dispose()
  })
  const back = (): Promise<void> =>
    until(async () => {
      await Promise.all([one.ping(), two.ping()])
      return true
    })

  it('fails every call fast while Redis is dead, and recovers on the same connections', async () => {
    const cache = new RedisCache(one.commands)
    const limiter = new RedisRateLimiter(one.commands, { perMinute: 100 })
    const events = new RedisEventBus({ publisher: one.commands, subscriber: one.subscriber })
    const r = makeRecording()
    await cache.set(r, 60)
    await limiter.consume('user:x')

    await server.kill()
    const calls = [
      () => cache.get(r.id),
      () => cache.set(r, 60),
      () => cache.delete(r.id),
      () => limiter.consume('user:x'),
      () => events.publish({ type: 'recording.updated', recording: r }),
      () => events.subscribe(r.userId, () => {}),
      () => one.ping(),
    ]
    for (const call of calls) {
      const { ms, unavailable } = await timed(call())
      expect(unavailable).toBe(true)
      expect(ms).toBeLessThan(100)
    }
    expect(errors.length).toBeGreaterThan(0)

    await server.restart()
    await back()
    expect(await cache.get(r.id)).toBeNull() // a fresh, empty server
    await cache.set(r, 60)
    expect(await cache.get(r.id)).toEqual(r)
    expect(await limiter.consume('user:x')).toMatchObject({ allowed: true, remaining: 99 })
  })

  it('bounds a call to a hung Redis by the command timeout, and stays in step afterwards', async () => {
    const cache = new RedisCache(one.commands)
    const a = makeRecording()
    const b = makeRecording()
    server.pause()
    try {
      const { ms, unavailable } = await timed(cache.get(a.id))
      expect(unavailable).toBe(true)
      expect(ms).toBeGreaterThanOrEqual(450)
      expect(ms).toBeLessThan(700)
    } finally {
      server.resume()
    }
    await back()
    await cache.set(a, 60)
    await cache.set(b, 60)
    expect((await cache.get(b.id))?.id).toBe(b.id)
    expect((await cache.get(a.id))?.id).toBe(a.id)
  })

  it('restores subscriptions by itself after Redis restarts', async () => {
    const subscriberSide = new RedisEventBus({ publisher: one.commands, subscriber: one.subscriber })
    const publisherSide = new RedisEventBus({ publisher: two.commands, subscriber: two.subscriber })
    const r = makeRecording()
    const seen: RecordingUpdated[] = []
    await subscriberSide.subscribe(r.userId, (event) => seen.push(event))

    await server.kill()
    await server.restart()
    await back()
    // The subscriber may reconnect a moment after the publisher: publish until one arrives.
    await until(async () => {
      await publisherSide.publish({ type: 'recording.updated', recording: r })
      await new Promise((resolve) => setTimeout(resolve, 50))
      return seen.length > 0
    })
    expect(seen[0]?.recording).toEqual(r)
  })
})
