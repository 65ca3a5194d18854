import { OffsetMismatchError, RangeNotSatisfiableError } from '@rec/domain'

export interface ErrorRow {
  readonly status: ProblemStatus
  readonly title: string
  /** Headers a client needs to recover from this error (where to resume, what the size is). */
  readonly headers?: (error: Error) => Readonly<Record<string, string>>
}

export type ProblemStatus = 400 | 401 | 404 | 405 | 409 | 413 | 415 | 416 | 429 | 500 | 503 | 507

/**
 * THE table: every error code the API returns, domain codes as-is plus the HTTP-only ones.
 * Nothing else in the package picks an HTTP status for an error.
 */
export const ERROR_TABLE = {
  // Domain codes (packages/domain/src/errors.ts).
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
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'Dependency unavailable' },
  // 507, not 503: a full or read-only disk is not fixed by retrying soon.
  STORAGE_WRITE_FAILED: { status: 507, title: 'Storage write failed' },
  // HTTP-only codes.
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed request' },
  REQUEST_BODY_ABORTED: { status: 400, title: 'Request body ended early' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, ErrorRow>

export type ErrorCode = keyof typeof ERROR_TABLE

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_TABLE, code)

/** Problem `type` URIs name the code; they are identifiers, not pages to fetch. */
export const problemType = (code: ErrorCode): string =>
  `urn:problem:recording-service:${code.toLowerCase().replaceAll('_', '-')}`
