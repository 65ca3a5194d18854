import { describe, expect, it } from 'vitest'
import type { IdGenerator } from '../ports/id-generator.js'
import { parseRecordingId } from '../recording-id.js'

/** The behaviour every IdGenerator must have. */
export function runIdGeneratorContract(name: string, make: () => IdGenerator): void {
  describe(`IdGenerator contract: ${name}`, () => {
    it('makes distinct UUIDs in canonical (lower-case) form', () => {
      const ids = make()
      const made = Array.from({ length: 1000 }, () => ids.newId())
      for (const id of made) expect(parseRecordingId(id), id).toBe(id)
      expect(new Set(made).size).toBe(made.length)
    })
  })
}
