import { type ServedBlob, servedBlob } from './content-variant.js'
import { RecordingNotCompletedError, RecordingNotFoundError } from './errors.js'
import { PlaybackUrlExpiredError, PlaybackUrlInvalidError } from './playback-errors.js'
import type { BlobRange, BlobStore } from './ports/blob-store.js'
import type { Clock } from './ports/clock.js'
import type { PlaybackGrant, PlaybackSigner } from './ports/playback-signer.js'
import type { RecordingRepo } from './ports/recording-repo.js'
import type { Recording } from './recording.js'
import type { RecordingService } from './recording-service.js'
import type { RequestedRange } from './recording-service-types.js'
import { resolveRange } from './resolve-range.js'

export interface PlaybackAccessDeps {
  /** Decides ownership and state when a grant is issued. */
  readonly service: RecordingService
  /** Reads the granted recording: the signature, not a user, is the authority then. */
  readonly repo: RecordingRepo
  readonly blobs: BlobStore
  readonly signer: PlaybackSigner
  readonly clock: Clock
  /** How long a grant lasts; rounded down to whole seconds. */
  readonly ttlMs: number
}

export interface SignedPlayback {
  readonly grant: PlaybackGrant
  readonly signature: string
}

/**
 * Playback grants (SPEC §10): the owner of a completed recording gets a signed, expiring grant to
 * read that one recording's media without credentials; a grant opens nothing else, stops at its
 * expiry, and stops when the recording is deleted (it is looked up on every read).
 *
 * @example
 * const { grant, signature } = await playback.issue(userId, id)   // → a URL, by the HTTP adapter
 * const recording = await playback.open(grant, signature)          // on each GET/HEAD of that URL
 * const body = await playback.read(recording, playback.range(recording, requested))
 */
export class PlaybackAccess {
  readonly #d: PlaybackAccessDeps

  constructor(deps: PlaybackAccessDeps) {
    this.#d = deps
  }

  /** A grant for the owner's completed recording; another user's is not found, others 409. */
  async issue(userId: string, id: string): Promise<SignedPlayback> {
    const recording = await this.#d.service.get(userId, id)
    if (recording.status !== 'completed') throw new RecordingNotCompletedError(recording.status)
    const expires = Math.floor((this.#d.clock.now().getTime() + this.#d.ttlMs) / 1000) * 1000
    const grant: PlaybackGrant = { recordingId: recording.id, expiresAt: new Date(expires) }
    return { grant, signature: this.#d.signer.sign(grant) }
  }

  /**
   * The recording a presented grant opens. The signature is checked first, so a forged URL costs
   * no database read and learns nothing; then the expiry; then that the recording still exists.
   */
  async open(grant: PlaybackGrant, signature: string): Promise<Recording> {
    if (!this.#d.signer.verify(grant, signature)) throw new PlaybackUrlInvalidError()
    if (this.#d.clock.now().getTime() >= grant.expiresAt.getTime()) {
      throw new PlaybackUrlExpiredError(grant.expiresAt)
    }
    const recording = await this.#d.repo.findById(grant.recordingId)
    // Deleted since the grant was issued (completed is terminal, so nothing else can change).
    if (!recording) throw new RecordingNotFoundError()
    if (recording.status !== 'completed') throw new RecordingNotCompletedError(recording.status)
    return recording
  }

  /**
   * What a playback URL serves (SPEC §13): the seekable rendition once it exists (a player can
   * show the length and seek), else the original bytes.
   */
  served(recording: Recording): ServedBlob {
    return servedBlob(recording, recording.seekable ? 'seekable' : 'original')
  }

  /** The bytes served for `requested` (null: all of them); rejects a range outside the media. */
  range(recording: Recording, requested: RequestedRange | null): BlobRange | null {
    if (requested) return resolveRange(requested, this.served(recording).sizeBytes)
    return null
  }

  /** Streams an opened recording's media, whole or the range `range` returned. */
  read(recording: Recording, range: BlobRange | null): Promise<AsyncIterable<Uint8Array>> {
    const served = this.served(recording)
    // Never past sizeBytes: the checksum covers exactly those bytes, whatever the blob holds.
    const whole = served.sizeBytes > 0 ? { start: 0, end: served.sizeBytes - 1 } : null
    return this.#d.blobs.read(served.key, range ?? whole)
  }
}
