import type { BlobUploadRepo } from '@rec/domain'
import type { Bucket } from './bucket.js'
import type { ObjectNames } from './object-names.js'

export interface Sweep {
  readonly abortedUploads: number
  readonly removedSegments: number
}

export interface SweepOptions {
  readonly bucket: Bucket
  readonly names: ObjectNames
  readonly uploads: BlobUploadRepo
  readonly now: Date
  /** Younger objects may belong to a write whose record is being saved right now. */
  readonly graceMs: number
}

/**
 * Aborts multipart uploads and removes tail segments that no upload record names. A server
 * without ListMultipartUploads (s3rver) lists no uploads; its uploads die with their record's
 * `removeUnfinished`.
 */
export async function sweepOrphans({ bucket, names, uploads, now, graceMs }: SweepOptions): Promise<Sweep> {
  const cutoff = now.getTime() - graceMs
  const known = new Map<string, Set<string>>()
  const named = async (key: string): Promise<Set<string>> => {
    let set = known.get(key)
    if (!set) {
      const upload = await uploads.find(key)
      set = new Set([
        ...(upload?.uploadId ? [upload.uploadId] : []),
        ...(upload?.tail ?? []).map((s) => s.name),
      ])
      known.set(key, set)
    }
    return set
  }
  let abortedUploads = 0
  for (const u of await bucket.listUploads(names.prefix)) {
    const key = u.name.slice(names.prefix.length)
    if (u.initiated.getTime() > cutoff || (await named(key)).has(u.uploadId)) continue
    await bucket.abort(u.name, u.uploadId)
    abortedUploads++
  }
  let removedSegments = 0
  for (const o of await bucket.listObjects(names.prefix)) {
    const key = names.keyOfTailSegment(o.name)
    if (key === null || o.lastModified.getTime() > cutoff || (await named(key)).has(o.name)) continue
    await bucket.delete(o.name)
    removedSegments++
  }
  return { abortedUploads, removedSegments }
}
