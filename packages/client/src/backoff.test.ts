import { describe, expect, it } from 'vitest'
import { backoffDelay, isFinalClose } from './backoff.js'

describe('backoffDelay', () => {
  it('doubles from initialMs up to maxMs, each delay in [step/2, step]', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const step = Math.min(10_000, 250 * 2 ** (attempt - 1))
      const low = backoffDelay(attempt, { random: () => 0 })
      const high = backoffDelay(attempt, { random: () => 0.999999 })
      expect(low).toBe(Math.round(step / 2))
      expect(high).toBe(step)
      const any = backoffDelay(attempt)
      expect(any).toBeGreaterThanOrEqual(step / 2 - 1)
      expect(any).toBeLessThanOrEqual(step)
    }
  })

  it('spreads clients that retry at the same attempt (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6)))
    expect(delays.size).toBeGreaterThan(10)
  })
})

describe('isFinalClose', () => {
  it('1000 and every 44xx are final; 4000, 1001, 1006, 1011, 1013 are not', () => {
    for (const code of [1000, 4400, 4401, 4404, 4409, 4499]) expect(isFinalClose(code)).toBe(true)
    for (const code of [4000, 1001, 1005, 1006, 1009, 1011, 1012, 1013, 4500])
      expect(isFinalClose(code)).toBe(false)
  })
})
