import { HttpProblem } from '../problems/http-problem.js'

/** The one tus version spoken (SPEC §9). */
export const TUS_VERSION = '1.0.0'

export const TUS_EXTENSIONS =
  'creation,creation-with-upload,creation-defer-length,termination,checksum,expiration'

export const CHECKSUM_ALGORITHMS = ['sha1', 'sha256', 'md5'] as const
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number]

/** The media type of every tus body (PATCH, creation-with-upload). */
export const UPLOAD_TYPE = 'application/offset+octet-stream'

/** Request headers a browser client sends; a CORS preflight must allow each. */
export const TUS_REQUEST_HEADERS = [
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Defer-Length',
  'Upload-Metadata',
  'Upload-Checksum',
  'Upload-Offset',
  'X-HTTP-Method-Override',
  'X-Requested-With',
] as const

/** Response headers a browser client must be able to read. */
export const TUS_EXPOSE_HEADERS = [
  'Upload-Offset',
  'Upload-Length',
  'Upload-Defer-Length',
  'Upload-Expires',
  'Upload-Metadata',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Tus-Checksum-Algorithm',
  'Location',
  'Idempotent-Replayed',
] as const

/** tus dates are RFC 9110 HTTP-dates. */
export const httpDate = (date: Date): string => date.toUTCString()

/**
 * A non-negative decimal header (Upload-Length, Upload-Offset): digits only, so `1e3`, `-1` or
 * `' 12'` never pass as numbers. Absent → null; malformed → 400 naming the header.
 */
export function decimalHeader(value: string | undefined, name: string): number | null {
  if (value === undefined) return null
  if (!/^\d{1,15}$/.test(value)) {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: `${name} must be a non-negative integer`,
      errors: [{ path: `headers.${name.toLowerCase()}`, message: 'must be a non-negative integer' }],
    })
  }
  return Number(value)
}

/** tus bodies must say they are one; checked before anything else, so the answer is 415. */
export function requireUploadType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type !== UPLOAD_TYPE) {
    throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', { detail: `Content-Type must be ${UPLOAD_TYPE}` })
  }
}
