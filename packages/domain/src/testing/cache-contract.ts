import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Cache } from '../ports/cache.js'
import { makeRecording } from './recording-repo-contract.js'

export interface CacheFixture {
  readonly cache: Cache
  /** The invalidation window the cache was made with (ms). */
  readonly invalidationMs: number
  /** Lets `ms` pass for the cache: a manual clock advances, a real server is waited for. */
  elapse(ms: number): Promise<void>
  close(): Promise<void>
}

/** The behaviour every Cache must have; each adapter's tests call it. */
export function runCacheContract(name: string, make: () => Promise<CacheFixture>): void {
  describe(`Cache contract: ${name}`, () => {
    let fx: CacheFixture
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('misses, then returns what was set with its dates as Dates', async () => {
      const r = makeRecording({
        status: 'completed',
        sizeBytes: 42,
        stoppedAt: new Date('2026-01-01T00:01:00Z'),
      })
      expect(await fx.cache.get(r.id)).toBeNull()
      await fx.cache.set(r, 60)
      const got = await fx.cache.get(r.id)
      expect(got).toEqual(r)
      expect(got?.stoppedAt).toBeInstanceOf(Date)
      expect(got?.updatedAt.getTime()).toBe(r.updatedAt.getTime())
    })

    it('keeps copies apart and finds them whatever the case of the id', async () => {
      const a = makeRecording()
      const b = makeRecording()
      await fx.cache.set(a, 60)
      await fx.cache.set(b, 60)
      expect((await fx.cache.get(a.id.toUpperCase()))?.id).toBe(a.id)
      expect((await fx.cache.get(b.id))?.id).toBe(b.id)
    })

    it('forgets a copy after its TTL', async () => {
      const r = makeRecording()
      await fx.cache.set(r, 1)
      await fx.elapse(1100)
      expect(await fx.cache.get(r.id)).toBeNull()
    })

    it('does not replace a copy it holds', async () => {
      const r = makeRecording()
      await fx.cache.set(r, 60)
      await fx.cache.set({ ...r, sizeBytes: 99 }, 60)
      expect((await fx.cache.get(r.id))?.sizeBytes).toBe(0)
    })

    it('after a delete, ignores a set for the invalidation window, then accepts one', async () => {
      const old = makeRecording()
      await fx.cache.set(old, 60)
      await fx.cache.delete(old.id)
      expect(await fx.cache.get(old.id)).toBeNull()
      // A read that fetched the row before the write and fills the cache after it.
      await fx.cache.set(old, 60)
      expect(await fx.cache.get(old.id)).toBeNull()
      await fx.elapse(fx.invalidationMs + 100)
      const fresh = { ...old, sizeBytes: 7 }
      await fx.cache.set(fresh, 60)
      expect(await fx.cache.get(old.id)).toEqual(fresh)
    })

    it('deletes an id it never held', async () => {
      await expect(fx.cache.delete(makeRecording().id)).resolves.toBeUndefined()
    })
  })
}
