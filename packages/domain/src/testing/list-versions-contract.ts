import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ListVersions } from '../ports/list-versions.js'

export interface ListVersionsFixture {
  /** Two views of one store (two instances sharing Redis; the same object in one process). */
  readonly a: ListVersions
  readonly b: ListVersions
  /** Empties the store as a restart of it would, when it can; `null` when nothing can be lost. */
  readonly lose: (() => Promise<void>) | null
  close(): Promise<void>
}

const alice = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a00a1'
const bob = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a00b2'

/** The behaviour every ListVersions must have; each adapter's tests call it. */
export function runListVersionsContract(name: string, make: () => Promise<ListVersionsFixture>): void {
  describe(`ListVersions contract: ${name}`, () => {
    let fx: ListVersionsFixture
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('keeps a version until a bump of that user, whichever view asks', async () => {
      const first = await fx.a.current(alice)
      expect(await fx.a.current(alice)).toBe(first)
      expect(await fx.b.current(alice.toUpperCase())).toBe(first)
      const other = await fx.a.current(bob)
      await fx.b.bump(alice)
      const second = await fx.a.current(alice)
      expect(second).not.toBe(first)
      expect(await fx.b.current(alice)).toBe(second)
      expect(await fx.a.current(bob)).toBe(other)
    })

    it('never gives a version twice: bumps, and a store that lost its keys', async () => {
      const seen = new Set<string>([await fx.a.current(alice)])
      for (let i = 0; i < 5; i++) {
        await fx.a.bump(alice)
        seen.add(await fx.b.current(alice))
      }
      expect(seen.size).toBe(6)
      if (fx.lose) {
        await fx.lose()
        expect(seen.has(await fx.a.current(alice))).toBe(false)
      }
    })
  })
}
