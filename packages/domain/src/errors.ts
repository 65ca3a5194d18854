import type { DomainErrorCode } from './error-codes.js'
import type { RecordingStatus } from './recording.js'
import type { RecordingEvent } from './recording-event.js'

/** An expected rejection with a stable code that the API returns as-is. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode
}

export class RecordingNotFoundError extends DomainError {
  readonly code = 'RECORDING_NOT_FOUND'
  constructor() {
    super('recording not found')
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION'
  constructor(
    readonly from: RecordingStatus,
    readonly event: RecordingEvent['type'],
  ) {
    super(`${event} is not allowed from ${from}`)
  }
}

export class RecordingAlreadyActiveError extends DomainError {
  readonly code = 'RECORDING_ALREADY_ACTIVE'
  constructor() {
    super('this session already has an active recording')
  }
}

export class RecordingNotCompletedError extends DomainError {
  readonly code = 'RECORDING_NOT_COMPLETED'
  constructor(readonly status: RecordingStatus) {
    super(`content is available once the recording is completed; it is ${status}`)
  }
}

export class RecordingNotRecordingError extends DomainError {
  readonly code = 'RECORDING_NOT_RECORDING'
  constructor(readonly status: RecordingStatus) {
    super(`media can be appended only while recording; the recording is ${status}`)
  }
}

export class OffsetMismatchError extends DomainError {
  readonly code = 'OFFSET_MISMATCH'
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`offset ${received} does not match the ${expected} bytes stored`)
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED'
  constructor() {
    super('this Idempotency-Key was used with a different request')
  }
}

export class RangeNotSatisfiableError extends DomainError {
  readonly code = 'RANGE_NOT_SATISFIABLE'
  constructor(readonly size: number) {
    super(`the range is outside the ${size} bytes of content`)
  }
}

/** A backend the use case needs (database, cache, blob store) did not answer. */
export class DependencyUnavailableError extends DomainError {
  readonly code = 'DEPENDENCY_UNAVAILABLE'
  constructor(
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable`, options)
  }
}

/** Storage rejected a write (disk full, read-only); stored bytes stay as they were. */
export class StorageWriteError extends DomainError {
  readonly code = 'STORAGE_WRITE_FAILED'
  constructor(options?: { cause?: unknown }) {
    super('media storage refused the write', options)
  }
}

/** A resumable upload that failed or expired: it can never be resumed (tus: 410 Gone). */
export class UploadGoneError extends DomainError {
  readonly code = 'UPLOAD_GONE'
  constructor(readonly reason: string) {
    super(`this upload can no longer be resumed: ${reason}`)
  }
}

/** An upload length that contradicts the one already known or the bytes already stored. */
export class UploadLengthConflictError extends DomainError {
  readonly code = 'UPLOAD_LENGTH_CONFLICT'
}

/** An announced upload length, or a body, larger than the recording may grow. */
export class UploadTooLargeError extends DomainError {
  readonly code = 'UPLOAD_TOO_LARGE'
  constructor(
    readonly length: number,
    readonly max: number,
  ) {
    super(`${length} bytes is more than the ${max} bytes allowed`)
  }
}

/**
 * A BlobStore has no finished blob under the key (never published, or removed). Every BlobStore
 * rejects `read` with this one error, whatever its medium; the message names the key, never a path.
 */
export class BlobNotFoundError extends DomainError {
  readonly code = 'BLOB_NOT_FOUND'
  constructor(readonly key: string) {
    super(`no finished blob ${key}`)
    this.name = 'BlobNotFoundError'
  }
}

/** A newer writer took the recording's lease: this one may never append again (SPEC §12). */
export class WriterFencedError extends DomainError {
  readonly code = 'WRITER_FENCED'
  constructor(readonly fence: number) {
    super('a newer stream or upload of this recording took over; this one can no longer write')
  }
}

/** The recording has no rendition of the asked variant (yet, or ever: none was needed). */
export class RenditionNotFoundError extends DomainError {
  readonly code = 'RENDITION_NOT_FOUND'
  constructor(readonly variant: string) {
    super(`the recording has no ${variant} rendition`)
  }
}
