import { afterEach, describe, expect, it } from 'vitest'
import {
  REDIS_UNAVAILABLE,
  redisServerUrl,
  redisSuite,
  uniqueNamespace,
} from '#test-support/integration-env.js'
import { openRedis, type RedisConnection, RedisWriterHandoff } from '../src/index.js'

const onError = (): void => {}
const key = '3f9a1c2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b'

describe.skipIf(REDIS_UNAVAILABLE !== null)(redisSuite('RedisWriterHandoff'), () => {
  const opened: RedisConnection[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.close().catch(() => {})))
  })

  /** One instance: its own connections, a handoff on a namespace the test shares between instances. */
  async function instance(
    namespace: string,
    onRelease: (key: string) => Promise<boolean>,
    waitMs = 5_000,
  ): Promise<{ handoff: RedisWriterHandoff; redis: RedisConnection }> {
    const redis = await openRedis(await redisServerUrl(), { onError })
    opened.push(redis)
    const handoff = new RedisWriterHandoff({
      publisher: redis.commands,
      subscriber: redis.subscriber,
      instanceId: crypto.randomUUID(),
      onRelease,
      waitMs,
      namespace,
    })
    await handoff.start()
    return { handoff, redis }
  }

  it('waits for the instance holding the stream to let go, and hears "released" only after it did', async () => {
    const namespace = uniqueNamespace()
    const steps: string[] = []
    await instance(namespace, async (k) => {
      steps.push(`A releasing ${k}`)
      // Storing its pending bytes takes a while; the asker must wait for it.
      await new Promise((resolve) => setTimeout(resolve, 200))
      steps.push('A released')
      return true
    })
    await instance(namespace, async () => false)
    const { handoff: b } = await instance(namespace, async () => {
      steps.push('B asked itself')
      return false
    })
    expect(await b.release(key)).toBe('released')
    steps.push('B takes the lease')
    expect(steps).toEqual([`A releasing ${key}`, 'A released', 'B takes the lease'])
  })

  it('answers "none" at once when no other instance has a stream of the key', async () => {
    const namespace = uniqueNamespace()
    await instance(namespace, async () => false)
    const { handoff: b } = await instance(namespace, async () => false)
    const started = Date.now()
    expect(await b.release(key)).toBe('none')
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('does not wait for an instance that is gone: its subscription went with it', async () => {
    const namespace = uniqueNamespace()
    const gone = await instance(namespace, async () => true)
    const { handoff: b } = await instance(namespace, async () => false, 10_000)
    await gone.redis.close()
    const started = Date.now()
    expect(await b.release(key)).toBe('none')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('gives up after its bound on an instance that never answers', async () => {
    const namespace = uniqueNamespace()
    await instance(namespace, () => new Promise<boolean>(() => {}))
    const { handoff: b } = await instance(namespace, async () => false, 300)
    expect(await b.release(key)).toBe('timed-out')
  })

  it('says "unavailable", without waiting, when Redis cannot be reached', async () => {
    const { handoff, redis } = await instance(uniqueNamespace(), async () => false)
    await redis.close()
    expect(await handoff.release(key)).toBe('unavailable')
  })
})
