import { DomainError, type DomainErrorCode } from '@rec/domain'

/** SPEC §6 close codes, and which one each failure ends a stream with. */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  tooBig: 1009,
  internal: 1011,
  tryAgainLater: 1013,
  takenOver: 4000,
  badMessage: 4400,
  unauthorized: 4401,
  notFound: 4404,
  notRecording: 4409,
} as const

/** Every domain code's close code: a code missing here fails to compile. */
const BY_CODE = {
  RECORDING_NOT_FOUND: CLOSE.notFound,
  RECORDING_NOT_RECORDING: CLOSE.notRecording,
  INVALID_TRANSITION: CLOSE.notRecording,
  OFFSET_MISMATCH: CLOSE.notRecording,
  // Another instance's newer stream took the lease: the same close as a takeover here (SPEC §6.5).
  WRITER_FENCED: CLOSE.takenOver,
  DEPENDENCY_UNAVAILABLE: CLOSE.tryAgainLater,
  STORAGE_WRITE_FAILED: CLOSE.internal,
  // A stream attached to a tus upload whose idle timeout passed: it ended, nothing more to send.
  UPLOAD_GONE: CLOSE.notRecording,
  // A stream never meets these; were one to, it is the server's error.
  RECORDING_ALREADY_ACTIVE: CLOSE.internal,
  RECORDING_NOT_COMPLETED: CLOSE.internal,
  IDEMPOTENCY_KEY_REUSED: CLOSE.internal,
  RANGE_NOT_SATISFIABLE: CLOSE.internal,
  BLOB_NOT_FOUND: CLOSE.internal,
  UPLOAD_LENGTH_CONFLICT: CLOSE.internal,
  UPLOAD_TOO_LARGE: CLOSE.internal,
  PLAYBACK_URL_INVALID: CLOSE.internal,
  PLAYBACK_URL_EXPIRED: CLOSE.internal,
  RENDITION_NOT_FOUND: CLOSE.internal,
} as const satisfies Record<DomainErrorCode, number>

export interface StreamFailure {
  readonly close: number
  readonly code: string
  readonly message: string
}

/** Maps an error to the error frame and close code a client gets; internals never leak. */
export function streamFailure(error: unknown): StreamFailure {
  if (error instanceof DomainError) {
    return { close: BY_CODE[error.code], code: error.code, message: error.message }
  }
  return { close: CLOSE.internal, code: 'INTERNAL', message: 'internal error' }
}
