import type { RequestedRange } from '@rec/domain'

/**
 * Parses a `Range` header into one range. Null means "send the whole body": no header, another
 * unit, a syntax error, or several ranges (RFC 9110 lets a server ignore Range, and multipart
 * responses are not worth their complexity for media players, which ask for one range).
 */
export function parseRange(header: string | undefined): RequestedRange | null {
  if (header === undefined) return null
  const match = header.trim().match(/^bytes=\s*(\d*)-(\d*)\s*$/i)
  if (!match) return null
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return null
  if (first === '') return { kind: 'suffix', length: safeInt(last) }
  return { kind: 'from', start: safeInt(first), end: last === '' ? null : safeInt(last) }
}

/** Huge numbers saturate instead of becoming floats; they are unsatisfiable either way. */
const safeInt = (digits: string): number => Math.min(Number(digits), Number.MAX_SAFE_INTEGER)

/** `"<hex>"` of `sha256:<hex>`: a strong validator, since equal bytes have equal digests. */
export function etagOf(checksum: string | null): string | null {
  if (!checksum) return null
  const hex = checksum.slice(checksum.indexOf(':') + 1)
  return `"${hex}"`
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
export function matchesNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque)
}

/** If-Range uses the strong comparison: a stale validator means the Range is ignored. */
export function ifRangeAllows(header: string | undefined, etag: string): boolean {
  return header === undefined || header.trim() === etag
}
