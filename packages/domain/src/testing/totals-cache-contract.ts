import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TotalsCache } from '../ports/totals-cache.js'

export interface TotalsCacheFixture {
  readonly cache: TotalsCache
  /** Lets `ms` pass for the cache: a manual clock advances, a real server is waited for. */
  elapse(ms: number): Promise<void>
  close(): Promise<void>
}

const alice = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a00a1'
const bob = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a00b2'

/** The behaviour every TotalsCache must have; each adapter's tests call it. */
export function runTotalsCacheContract(name: string, make: () => Promise<TotalsCacheFixture>): void {
  describe(`TotalsCache contract: ${name}`, () => {
    let fx: TotalsCacheFixture
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('misses, then keeps a total per user and filter', async () => {
      const first = await fx.cache.get(alice, 'all')
      expect(first.total).toBeNull()
      await fx.cache.set(alice, 'all', first.generation, 10_000, 60)
      await fx.cache.set(alice, 'status:completed', first.generation, 7, 60)
      expect((await fx.cache.get(alice, 'all')).total).toBe(10_000)
      expect((await fx.cache.get(alice.toUpperCase(), 'status:completed')).total).toBe(7)
      expect((await fx.cache.get(alice, 'session:x')).total).toBeNull()
      expect((await fx.cache.get(bob, 'all')).total).toBeNull()
    })

    it('forgets every total of one user only, and refuses a count read before the forget', async () => {
      const a = await fx.cache.get(alice, 'all')
      const b = await fx.cache.get(bob, 'all')
      await fx.cache.set(alice, 'all', a.generation, 3, 60)
      await fx.cache.set(bob, 'all', b.generation, 4, 60)
      // A list counted rows, then a write committed and forgot: that count must not be kept.
      const racing = await fx.cache.get(alice, 'status:recording')
      await fx.cache.forget(alice)
      await fx.cache.set(alice, 'status:recording', racing.generation, 1, 60)
      expect((await fx.cache.get(alice, 'status:recording')).total).toBeNull()
      expect((await fx.cache.get(alice, 'all')).total).toBeNull()
      expect((await fx.cache.get(bob, 'all')).total).toBe(4)
      const fresh = await fx.cache.get(alice, 'all')
      expect(fresh.generation).not.toBe(a.generation)
      await fx.cache.set(alice, 'all', fresh.generation, 5, 60)
      expect((await fx.cache.get(alice, 'all')).total).toBe(5)
    })

    it('expires a total after its time to live', async () => {
      const { generation } = await fx.cache.get(alice, 'all')
      await fx.cache.set(alice, 'all', generation, 9, 1)
      expect((await fx.cache.get(alice, 'all')).total).toBe(9)
      await fx.elapse(1100)
      expect((await fx.cache.get(alice, 'all')).total).toBeNull()
    })
  })
}
