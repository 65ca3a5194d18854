import { DomainError } from '@rec/domain'

/** SPEC §6 close codes, and which one each failure ends a stream with. */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  tooBig: 1009,
  internal: 1011,
  tryAgainLater: 1013,
  takenOver: 4000,
  badMessage: 4400,
  unauthorized: 4401,
  notFound: 4404,
  notRecording: 4409,
} as const

const BY_CODE: Readonly<Record<string, number>> = {
  RECORDING_NOT_FOUND: CLOSE.notFound,
  RECORDING_NOT_RECORDING: CLOSE.notRecording,
  INVALID_TRANSITION: CLOSE.notRecording,
  OFFSET_MISMATCH: CLOSE.notRecording,
  // Another instance's newer stream took the lease: the same close as a takeover here (SPEC §6.5).
  WRITER_FENCED: CLOSE.takenOver,
  DEPENDENCY_UNAVAILABLE: CLOSE.tryAgainLater,
  STORAGE_WRITE_FAILED: CLOSE.internal,
}

export interface StreamFailure {
  readonly close: number
  readonly code: string
  readonly message: string
}

/** Maps an error to the error frame and close code a client gets; internals never leak. */
export function streamFailure(error: unknown): StreamFailure {
  if (error instanceof DomainError) {
    return { close: BY_CODE[error.code] ?? CLOSE.internal, code: error.code, message: error.message }
  }
  return { close: CLOSE.internal, code: 'INTERNAL', message: 'internal error' }
}
