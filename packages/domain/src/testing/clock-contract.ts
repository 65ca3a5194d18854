import { describe, expect, it } from 'vitest'
import type { Clock } from '../ports/clock.js'

/** The behaviour every Clock must have. */
export function runClockContract(name: string, make: () => Clock): void {
  describe(`Clock contract: ${name}`, () => {
    it('answers a valid Date that never goes backwards', () => {
      const clock = make()
      let last = clock.now().getTime()
      for (let i = 0; i < 100; i++) {
        const now = clock.now()
        expect(Number.isNaN(now.getTime())).toBe(false)
        expect(now.getTime()).toBeGreaterThanOrEqual(last)
        last = now.getTime()
      }
    })

    it('answers a fresh Date each time, so a caller mutating one cannot move the clock', () => {
      const clock = make()
      const first = clock.now()
      const before = first.getTime()
      first.setTime(0)
      expect(clock.now().getTime()).toBeGreaterThanOrEqual(before)
    })
  })
}
