import {
  type DomainErrorCode,
  OffsetMismatchError,
  RangeNotSatisfiableError,
  UploadTooLargeError,
} from '@rec/domain'

export interface ErrorRow {
  readonly status: ProblemStatus
  readonly title: string
  /** Headers a client needs to recover from this error (where to resume, what the size is). */
  readonly headers?: (error: Error) => Readonly<Record<string, string>>
}

export type ProblemStatus =
  | 408
  | 431
  | 400
  | 401
  | 403
  | 404
  | 405
  | 409
  | 410
  | 412
  | 413
  | 415
  | 416
  | 429
  | 460
  | 500
  | 503
  | 507

/** Every domain code (packages/domain/src/error-codes.ts): a code missing here fails to compile. */
const DOMAIN_ROWS = {
  RECORDING_NOT_FOUND: { status: 404, title: 'Recording not found' },
  INVALID_TRANSITION: { status: 409, title: 'Invalid state transition' },
  RECORDING_ALREADY_ACTIVE: { status: 409, title: 'Session already has an active recording' },
  RECORDING_NOT_COMPLETED: { status: 409, title: 'Recording is not completed' },
  RECORDING_NOT_RECORDING: { status: 409, title: 'Recording is not recording' },
  OFFSET_MISMATCH: {
    status: 409,
    title: 'Upload offset mismatch',
    headers: (e): Record<string, string> =>
      e instanceof OffsetMismatchError ? { 'Upload-Offset': String(e.expected) } : {},
  },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'Idempotency key reused' },
  RENDITION_NOT_FOUND: { status: 404, title: 'Rendition not found' },
  RANGE_NOT_SATISFIABLE: {
    status: 416,
    title: 'Range not satisfiable',
    headers: (e): Record<string, string> =>
      e instanceof RangeNotSatisfiableError ? { 'Content-Range': `bytes */${e.size}` } : {},
  },
  UPLOAD_GONE: { status: 410, title: 'Upload gone' },
  UPLOAD_LENGTH_CONFLICT: { status: 409, title: 'Upload length conflict' },
  UPLOAD_TOO_LARGE: {
    status: 413,
    title: 'Upload too large',
    headers: (e): Record<string, string> =>
      e instanceof UploadTooLargeError ? { 'Tus-Max-Size': String(e.max) } : {},
  },
  // A newer stream or upload of the recording took the writer lease (SPEC §12); HEAD tells the offset.
  WRITER_FENCED: { status: 409, title: 'Writer lease taken over' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'Dependency unavailable' },
  // 403, not 401: a playback URL is a capability, not a credential the client could retry with.
  PLAYBACK_URL_INVALID: { status: 403, title: 'Playback URL invalid' },
  PLAYBACK_URL_EXPIRED: { status: 403, title: 'Playback URL expired' },
  // 507, not 503: a full or read-only disk is not fixed by retrying soon.
  STORAGE_WRITE_FAILED: { status: 507, title: 'Storage write failed' },
  // The media of a completed recording is gone from the store: the service's fault, not the client's.
  BLOB_NOT_FOUND: { status: 500, title: 'Stored media is missing' },
} as const satisfies Record<DomainErrorCode, ErrorRow>

/** Codes only HTTP has. */
const HTTP_ROWS = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed request' },
  REQUEST_BODY_ABORTED: { status: 400, title: 'Request body ended early' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  // tus 1.0.0 (SPEC §9); their headers are set where they are thrown (src/tus/).
  TUS_VERSION_UNSUPPORTED: { status: 412, title: 'Tus version not supported' },
  CHECKSUM_ALGORITHM_UNSUPPORTED: { status: 400, title: 'Checksum algorithm not supported' },
  CHECKSUM_MISMATCH: { status: 460, title: 'Checksum mismatch' },
  UPLOAD_LENGTH_EXCEEDED: { status: 413, title: 'Upload would exceed its length' },
  // Answered by node:http's clientError handler (node/client-error.ts), before any route runs.
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, ErrorRow>

/**
 * THE table: every error code the API returns, domain codes as-is plus the HTTP-only ones.
 * Nothing else in the package picks an HTTP status for an error.
 */
export const ERROR_TABLE = { ...DOMAIN_ROWS, ...HTTP_ROWS } as const satisfies Record<string, ErrorRow>

export type ErrorCode = keyof typeof ERROR_TABLE

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_TABLE, code)

/** Problem `type` URIs name the code; they are identifiers, not pages to fetch. */
export const problemType = (code: ErrorCode): string =>
  `urn:problem:recording-service:${code.toLowerCase().replaceAll('_', '-')}`
