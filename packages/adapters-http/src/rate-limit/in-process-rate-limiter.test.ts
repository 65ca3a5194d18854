import { ManualClock } from '@rec/domain/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InProcessRateLimiter } from './in-process-rate-limiter.js'

describe('InProcessRateLimiter (GCRA)', () => {
  it('allows a burst of perMinute, then refuses until one interval passes', async () => {
    const clock = new ManualClock()
    const limiter = new InProcessRateLimiter({ perMinute: 60, clock })
    for (let i = 0; i < 60; i++) expect((await limiter.consume('k')).allowed).toBe(true)
    const refused = await limiter.consume('k')
    expect(refused).toEqual({ allowed: false, limit: 60, remaining: 0, resetSeconds: 1 })
    clock.advance(1000)
    expect((await limiter.consume('k')).allowed).toBe(true)
    expect((await limiter.consume('k')).allowed).toBe(false)
  })

  it('refills fully after a minute and counts keys apart', async () => {
    const clock = new ManualClock()
    const limiter = new InProcessRateLimiter({ perMinute: 2, clock })
    await limiter.consume('a')
    await limiter.consume('a')
    expect((await limiter.consume('a')).allowed).toBe(false)
    expect((await limiter.consume('b')).allowed).toBe(true)
    clock.advance(60_000)
    expect(await limiter.consume('a')).toMatchObject({ allowed: true, remaining: 1 })
  })

  // GCRA's guarantee: a burst of perMinute, then the sustained rate; over any span [a, b] at most
  // perMinute + (b - a) / interval requests pass.
  it('never allows more than the burst plus the sustained rate over any span', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }),
        async (gaps) => {
          const clock = new ManualClock()
          const limiter = new InProcessRateLimiter({ perMinute: 10, clock })
          const allowedAt: number[] = []
          for (const gap of gaps) {
            clock.advance(gap)
            if ((await limiter.consume('k')).allowed) allowedAt.push(clock.now().getTime())
          }
          for (let a = 0; a < allowedAt.length; a++) {
            for (let b = a; b < allowedAt.length; b++) {
              const span = (allowedAt[b] ?? 0) - (allowedAt[a] ?? 0)
              expect(b - a + 1).toBeLessThanOrEqual(10 + Math.floor(span / 6000))
            }
          }
        },
      ),
    )
  })

  it('keeps memory bounded: idle keys are evicted first, then the least recently seen', async () => {
    const clock = new ManualClock()
    const limiter = new InProcessRateLimiter({ perMinute: 60, clock, maxKeys: 100 })
    for (let i = 0; i < 100; i++) await limiter.consume(`old-${i}`)
    clock.advance(61_000)
    for (let i = 0; i < 50; i++) await limiter.consume(`new-${i}`)
    expect(limiter.size).toBeLessThanOrEqual(100)
    for (let i = 0; i < 1000; i++) await limiter.consume(`flood-${i}`)
    expect(limiter.size).toBeLessThanOrEqual(100)
  })

  it('refuses a nonsensical perMinute', () => {
    expect(() => new InProcessRateLimiter({ perMinute: 0 })).toThrow()
    expect(() => new InProcessRateLimiter({ perMinute: 1.5 })).toThrow()
  })
})
