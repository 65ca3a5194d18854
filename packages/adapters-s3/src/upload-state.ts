import type { BlobTailSegment, BlobUpload, BlobUploadPart } from '@rec/domain'

/** S3's minimum size of every part but the last; s3rver does not enforce it, so the store does. */
export const MIN_PART_BYTES = 5 * 1024 * 1024

export function emptyUpload(key: string): BlobUpload {
  return { key, version: 0, uploadId: null, nextPartNumber: 1, parts: [], tail: [], finished: null }
}

const sum = (items: readonly { sizeBytes: number }[]): number => items.reduce((n, i) => n + i.sizeBytes, 0)

/** Durable bytes of an upload: its parts then its tail segments (or the published size). */
export function storedBytes(upload: BlobUpload): number {
  return upload.finished ? upload.finished.sizeBytes : sum(upload.parts) + sum(upload.tail)
}

export function tailBytes(upload: BlobUpload): number {
  return sum(upload.tail)
}

/** The next version of `upload` with `changes`. */
export function next(upload: BlobUpload, changes: Partial<Omit<BlobUpload, 'key' | 'version'>>): BlobUpload {
  return { ...upload, ...changes, version: upload.version + 1 }
}

export function withPart(upload: BlobUpload, part: BlobUploadPart): BlobUpload {
  return next(upload, { parts: [...upload.parts, part], tail: [] })
}

export function withSegment(upload: BlobUpload, segment: BlobTailSegment): BlobUpload {
  return next(upload, { tail: [...upload.tail, segment] })
}

/** Joins chunks into one buffer of exactly `size` bytes (the first `size` of them). */
export function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    if (at >= size) break
    const take = Math.min(c.byteLength, size - at)
    out.set(take === c.byteLength ? c : c.subarray(0, take), at)
    at += take
  }
  return out
}
