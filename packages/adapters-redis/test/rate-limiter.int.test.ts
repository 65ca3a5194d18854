import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  REDIS_UNAVAILABLE,
  redisServerUrl,
  redisSuite,
  uniqueNamespace,
} from '#test-support/integration-env.js'
import { openRedis, type RedisConnection, RedisRateLimiter } from '../src/index.js'

describe.skipIf(REDIS_UNAVAILABLE !== null)(redisSuite('RedisRateLimiter (GCRA)'), () => {
  let one: RedisConnection
  let two: RedisConnection
  beforeAll(async () => {
    const url = await redisServerUrl()
    one = await openRedis(url, { onError: () => {} })
    two = await openRedis(url, { onError: () => {} })
  })
  afterAll(async () => {
    await Promise.all([one.close(), two.close()])
  })

  // The same decisions (and so the same RateLimit-* headers) as InProcessRateLimiter's GCRA.
  it('allows a burst of perMinute, then refuses until one interval passes', async () => {
    const limiter = new RedisRateLimiter(one.commands, { perMinute: 5, namespace: uniqueNamespace() })
    const decisions = []
    for (let i = 0; i < 7; i++) decisions.push(await limiter.consume('user:a'))
    const allowed = (remaining: number, resetSeconds: number) => ({
      allowed: true,
      limit: 5,
      remaining,
      resetSeconds,
    })
    const refused = { allowed: false, limit: 5, remaining: 0, resetSeconds: 12 }
    expect(decisions).toEqual([
      allowed(4, 12),
      allowed(3, 24),
      allowed(2, 36),
      allowed(1, 48),
      allowed(0, 60),
      refused,
      refused,
    ])
  })

  it('shares one quota between instances, key by key', async () => {
    const namespace = uniqueNamespace()
    const a = new RedisRateLimiter(one.commands, { perMinute: 10, namespace })
    const b = new RedisRateLimiter(two.commands, { perMinute: 10, namespace })
    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).consume('user:shared')),
    )
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
    expect((await a.consume('user:other')).allowed).toBe(true)
  })

  it('keys expire once the quota is full again, and survive a flushed script cache', async () => {
    const namespace = uniqueNamespace()
    const limiter = new RedisRateLimiter(one.commands, { perMinute: 600, namespace })
    await limiter.consume('ip:127.0.0.1')
    const ttl = await one.commands.pTTL(`${namespace}:ratelimit:ip:127.0.0.1`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(100)
    // After a Redis restart the script cache is empty: EVALSHA fails with NOSCRIPT, EVAL recovers.
    await one.commands.scriptFlush()
    expect(await limiter.consume('ip:127.0.0.1')).toMatchObject({ allowed: true, limit: 600 })
  })
})
