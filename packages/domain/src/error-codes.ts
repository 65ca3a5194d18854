/**
 * Every code a DomainError can carry, at run time, so an embedding service can enumerate them
 * (an HTTP or WebSocket table, a metric label set). The API returns them as-is.
 */
export const ERROR_CODES = [
  'RECORDING_NOT_FOUND',
  'INVALID_TRANSITION',
  'RECORDING_ALREADY_ACTIVE',
  'RECORDING_NOT_COMPLETED',
  'RECORDING_NOT_RECORDING',
  'OFFSET_MISMATCH',
  'IDEMPOTENCY_KEY_REUSED',
  'RANGE_NOT_SATISFIABLE',
  'DEPENDENCY_UNAVAILABLE',
  'STORAGE_WRITE_FAILED',
  'BLOB_NOT_FOUND',
  'UPLOAD_GONE',
  'UPLOAD_LENGTH_CONFLICT',
  'UPLOAD_TOO_LARGE',
  'PLAYBACK_URL_INVALID',
  'PLAYBACK_URL_EXPIRED',
  'WRITER_FENCED',
  'RENDITION_NOT_FOUND',
] as const

/**
 * The closed union of domain error codes. A table keyed by it and declared with
 * `satisfies Record<DomainErrorCode, …>` fails to compile when a code is missing.
 */
export type DomainErrorCode = (typeof ERROR_CODES)[number]
