import { DomainError } from './errors.js'

/** A playback URL whose signature does not match its recording and expiry (tampered, or forged). */
export class PlaybackUrlInvalidError extends DomainError {
  readonly code = 'PLAYBACK_URL_INVALID'
  constructor() {
    super('the playback URL is not valid for this recording')
  }
}

/** A genuine playback URL past its expiry; the owner can ask for a new one. */
export class PlaybackUrlExpiredError extends DomainError {
  readonly code = 'PLAYBACK_URL_EXPIRED'
  constructor(readonly expiresAt: Date) {
    super(`the playback URL expired at ${expiresAt.toISOString()}`)
  }
}
