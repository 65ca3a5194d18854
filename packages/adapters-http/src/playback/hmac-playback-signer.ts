import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { normaliseId, type PlaybackGrant, type PlaybackSigner } from '@rec/domain'

/** HKDF `info`: a key derived for playback URLs signs nothing else, and the secret itself signs none. */
export const PLAYBACK_KEY_LABEL = 'recording-service/playback-url/v1'

const SIGNATURE = /^[A-Za-z0-9_-]{43}$/

/**
 * HMAC-SHA256 playback signatures (43 base64url characters) over the recording id (lower case) and
 * the expiry in Unix seconds. The key is derived from a secret with HKDF-SHA256 and a label, so a
 * leaked playback key reveals nothing about the JWT secret and cannot sign tokens.
 *
 * @example
 * const signer = HmacPlaybackSigner.fromSecret(jwtSecret)
 * const signature = signer.sign({ recordingId, expiresAt })
 */
export class HmacPlaybackSigner implements PlaybackSigner {
  readonly #key: Buffer

  /** `key` is used as it is; prefer `fromSecret`, which derives it. */
  constructor(key: Uint8Array) {
    if (key.byteLength < 32) throw new RangeError('a playback signing key needs at least 32 bytes')
    this.#key = Buffer.from(key)
  }

  /** Derives the signing key from `secret` (the JWT secret, or PLAYBACK_SIGNING_KEY). */
  static fromSecret(secret: Uint8Array): HmacPlaybackSigner {
    return new HmacPlaybackSigner(
      Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), PLAYBACK_KEY_LABEL, 32)),
    )
  }

  sign(grant: PlaybackGrant): string {
    return this.#mac(grant).toString('base64url')
  }

  verify(grant: PlaybackGrant, signature: string): boolean {
    if (!SIGNATURE.test(signature) || Number.isNaN(grant.expiresAt.getTime())) return false
    return timingSafeEqual(Buffer.from(signature, 'base64url'), this.#mac(grant))
  }

  #mac(grant: PlaybackGrant): Buffer {
    const expires = Math.floor(grant.expiresAt.getTime() / 1000)
    return createHmac('sha256', this.#key)
      .update(`playback\n${normaliseId(grant.recordingId)}\n${expires}`)
      .digest()
  }
}
