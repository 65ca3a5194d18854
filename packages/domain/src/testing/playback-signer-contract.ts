import { describe, expect, it } from 'vitest'
import type { PlaybackGrant, PlaybackSigner } from '../ports/playback-signer.js'

export interface PlaybackSignerFixture {
  /** Two signers of the same kind with different keys (two deployments). */
  readonly signer: PlaybackSigner
  readonly otherKey: PlaybackSigner
}

const ID = '0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11'
const grant: PlaybackGrant = { recordingId: ID, expiresAt: new Date('2026-01-01T01:00:00.000Z') }

/** The behaviour every PlaybackSigner must have; each implementation's tests call it. */
export function runPlaybackSignerContract(name: string, make: () => PlaybackSignerFixture): void {
  describe(`PlaybackSigner contract: ${name}`, () => {
    it('verifies what it signed, and is deterministic and URL-safe', () => {
      const { signer } = make()
      const signature = signer.sign(grant)
      expect(signature).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(signer.sign({ ...grant })).toBe(signature)
      expect(signer.verify(grant, signature)).toBe(true)
    })

    it('treats the id case-insensitively (one recording, however the URL spells it)', () => {
      const { signer } = make()
      expect(signer.verify({ ...grant, recordingId: ID.toUpperCase() }, signer.sign(grant))).toBe(true)
    })

    it('refuses another recording, another expiry, another key and any altered signature', () => {
      const { signer, otherKey } = make()
      const signature = signer.sign(grant)
      expect(signer.verify({ ...grant, recordingId: ID.replace(/.$/, '2') }, signature)).toBe(false)
      expect(
        signer.verify({ ...grant, expiresAt: new Date(grant.expiresAt.getTime() + 1000) }, signature),
      ).toBe(false)
      expect(otherKey.verify(grant, signature)).toBe(false)
      for (const altered of [
        '',
        `${signature}A`,
        signature.slice(0, -1),
        (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1),
      ]) {
        expect(signer.verify(grant, altered)).toBe(false)
      }
    })

    it('never throws on malformed input', () => {
      const { signer } = make()
      expect(signer.verify({ ...grant, expiresAt: new Date(Number.NaN) }, signer.sign(grant))).toBe(false)
      expect(signer.verify(grant, '%%%\u0000\ud800')).toBe(false)
    })
  })
}
