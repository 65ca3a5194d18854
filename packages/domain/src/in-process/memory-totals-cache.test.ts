import { describe, expect, it } from 'vitest'
import { listWithTotals } from '../list-with-totals.js'
import { ManualClock } from '../testing/manual-clock.js'
import { MemoryRecordingRepo } from '../testing/memory-recording-repo.js'
import { MemoryTotalsCache } from './memory-totals-cache.js'

const user = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
const noWarn = (): void => {}

// Issue 10, bug 2: every distinct filter a user read stayed in the cache until that user wrote.
describe('MemoryTotalsCache bounds', () => {
  it('holds at most maxPerUser totals for one user reading 100,000 distinct filters', async () => {
    const clock = new ManualClock()
    const totals = new MemoryTotalsCache(clock, { maxPerUser: 100 })
    const deps = { repo: new MemoryRecordingRepo(), totals, cacheTtlSeconds: 60 }
    let peak = 0
    for (let i = 0; i < 100_000; i++) {
      const sessionId = user(1_000_000 + i)
      await listWithTotals(deps, { userId: user(1), status: null, sessionId, page: 1, limit: 20 }, noWarn)
      peak = Math.max(peak, totals.size)
    }
    expect(peak).toBe(100)
    // The most recent filters are the ones kept.
    const last = `status:*|session:${user(1_000_000 + 99_999)}`
    expect((await totals.get(user(1), last)).total).toBe(0)
    expect((await totals.get(user(1), `status:*|session:${user(1_000_000)}`)).total).toBeNull()
  })

  it.each([
    ['40 users (the overall cap binds)', 40, 1000],
    ['3,000 users (the user cap binds)', 3000, 500],
  ])(
    'holds at most maxEntries totals and maxUsers users for 100,000 filters of %s',
    async (_n, users, bound) => {
      const clock = new ManualClock()
      const totals = new MemoryTotalsCache(clock, { maxUsers: 500, maxPerUser: 50, maxEntries: 1000 })
      let peak = 0
      for (let i = 0; i < 100_000; i++) {
        const userId = user(i % users)
        const { generation } = await totals.get(userId, `f${i}`)
        await totals.set(userId, `f${i}`, generation, i, 60)
        peak = Math.max(peak, totals.size)
      }
      expect(peak).toBe(bound)
    },
  )

  it('evicts expired totals that are never read again', async () => {
    const clock = new ManualClock()
    const totals = new MemoryTotalsCache(clock, { sweepIntervalMs: 10_000 })
    for (let i = 0; i < 50; i++) {
      const userId = user(i)
      const { generation } = await totals.get(userId, 'all')
      await totals.set(userId, 'all', generation, i, 5)
    }
    expect(totals.size).toBe(50)
    clock.advance(5_000)
    await totals.get(user(999), 'all')
    expect(totals.size).toBe(50) // no sweep yet: the interval has not passed
    clock.advance(5_000)
    await totals.get(user(999), 'all')
    expect(totals.size).toBe(0)
  })

  it('keeps the generation rule across evictions: a count read before them is never kept', async () => {
    const clock = new ManualClock()
    const totals = new MemoryTotalsCache(clock, { maxUsers: 2, sweepIntervalMs: 1 })
    const racing = await totals.get(user(1), 'all')
    await totals.get(user(2), 'all')
    await totals.get(user(3), 'all') // evicts user 1
    await totals.set(user(1), 'all', racing.generation, 7, 60)
    expect((await totals.get(user(1), 'all')).total).toBeNull()
    const fresh = await totals.get(user(1), 'all')
    await totals.set(user(1), 'all', fresh.generation, 8, 60)
    expect((await totals.get(user(1), 'all')).total).toBe(8)
    expect(totals.size).toBe(1)
    await totals.forget(user(1))
    expect(totals.size).toBe(0)
  })
})
