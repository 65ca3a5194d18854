import {
  runCacheContract,
  runEventBusContract,
  runListVersionsContract,
  runTotalsCacheContract,
} from '@rec/domain/testing'
import { describe } from 'vitest'
import {
  REDIS_UNAVAILABLE,
  redisServerUrl,
  redisSuite,
  uniqueNamespace,
} from '#test-support/integration-env.js'
import { openRedis, RedisCache, RedisEventBus, RedisListVersions, RedisTotalsCache } from '../src/index.js'

const onError = (): void => {}
const INVALIDATION_MS = 300

describe.skipIf(REDIS_UNAVAILABLE !== null)(redisSuite('Redis adapters'), () => {
  runCacheContract('RedisCache', async () => {
    const redis = await openRedis(await redisServerUrl(), { onError })
    return {
      cache: new RedisCache(redis.commands, {
        namespace: uniqueNamespace(),
        invalidationMs: INVALIDATION_MS,
      }),
      invalidationMs: INVALIDATION_MS,
      // Redis expires keys on its own clock: the test waits for real.
      elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      close: () => redis.close(),
    }
  })

  runTotalsCacheContract('RedisTotalsCache', async () => {
    const redis = await openRedis(await redisServerUrl(), { onError })
    return {
      cache: new RedisTotalsCache(redis.commands, { namespace: uniqueNamespace() }),
      elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      close: () => redis.close(),
    }
  })

  // Two instances' connections, one namespace; losing is deleting the namespace's keys.
  runListVersionsContract('RedisListVersions', async () => {
    const url = await redisServerUrl()
    const namespace = uniqueNamespace()
    const [one, two] = await Promise.all([openRedis(url, { onError }), openRedis(url, { onError })])
    return {
      a: new RedisListVersions(one.commands, { namespace }),
      b: new RedisListVersions(two.commands, { namespace }),
      lose: async () => {
        for (const key of await one.commands.keys(`${namespace}:*`)) await one.commands.del(key)
      },
      close: async () => {
        await Promise.all([one.close(), two.close()])
      },
    }
  })

  // Two instances: each its own command and subscriber connections, one namespace.
  runEventBusContract('RedisEventBus', async () => {
    const url = await redisServerUrl()
    const namespace = uniqueNamespace()
    const [one, two] = await Promise.all([openRedis(url, { onError }), openRedis(url, { onError })])
    const bus = (r: typeof one): RedisEventBus =>
      new RedisEventBus({ publisher: r.commands, subscriber: r.subscriber, namespace })
    return {
      a: bus(one),
      b: bus(two),
      close: async () => {
        await Promise.all([one.close(), two.close()])
      },
    }
  })
})
