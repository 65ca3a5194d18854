import type { RecordingStatus } from './recording.js'
import type { RecordingEvent } from './transition.js'

/** An expected rejection with a stable code that the API returns as-is. */
export abstract class DomainError extends Error {
  abstract readonly code: string
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

/** The recording has no rendition of the asked variant (yet, or ever: none was needed). */
export class RenditionNotFoundError extends DomainError {
  readonly code = 'RENDITION_NOT_FOUND'
  constructor(readonly variant: string) {
    super(`the recording has no ${variant} rendition`)
  }
}
