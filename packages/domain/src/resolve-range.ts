import { RangeNotSatisfiableError } from './errors.js'
import type { BlobRange } from './ports/blob-store.js'
import type { RequestedRange } from './recording-service-types.js'

/** The inclusive byte range a request asks of `size` bytes; rejects what none of them satisfies. */
export function resolveRange(requested: RequestedRange, size: number): BlobRange {
  if (requested.kind === 'suffix') {
    if (requested.length === 0 || size === 0) throw new RangeNotSatisfiableError(size)
    return { start: Math.max(0, size - requested.length), end: size - 1 }
  }
  if (requested.start >= size || (requested.end !== null && requested.end < requested.start)) {
    throw new RangeNotSatisfiableError(size)
  }
  return { start: requested.start, end: Math.min(size - 1, requested.end ?? size - 1) }
}
