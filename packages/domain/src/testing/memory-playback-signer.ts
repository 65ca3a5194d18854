import type { PlaybackGrant, PlaybackSigner } from '../ports/playback-signer.js'
import { normaliseId } from '../recording-id.js'

/**
 * A playback signer for domain tests: deterministic and keyed, NOT cryptographic (the domain has no
 * crypto); it passes the same contract as the real one.
 */
export class MemoryPlaybackSigner implements PlaybackSigner {
  readonly #key: string

  constructor(key = 'test-key') {
    this.#key = key
  }

  sign(grant: PlaybackGrant): string {
    // FNV-1a, 32-bit, twice with different seeds: enough to tell grants and keys apart in tests.
    const text = `${this.#key}\n${normaliseId(grant.recordingId)}\n${Math.floor(grant.expiresAt.getTime() / 1000)}`
    return `${fnv(text, 0x811c9dc5)}${fnv(text, 0x01000193)}`
  }

  verify(grant: PlaybackGrant, signature: string): boolean {
    return !Number.isNaN(grant.expiresAt.getTime()) && signature === this.sign(grant)
  }
}

function fnv(text: string, seed: number): string {
  let hash = seed
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash.toString(36).padStart(7, '0')
}
