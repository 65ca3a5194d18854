import { join } from 'node:path'
import { parseRecordingId, type RecordingId } from '@rec/domain'

const UNFINISHED = /^(.+)\.part$/

/** The three names one blob may have on disk. */
export interface BlobPaths {
  /** Unfinished, appendable bytes. */
  readonly part: string
  /** Published bytes, after `finalize`. */
  readonly final: string
  /** Size and checksum of the published bytes, so a second `finalize` need not re-read them. */
  readonly sidecar: string
}

/**
 * Checks that `key` is a UUID and returns it in lower case. Only a UUID ever becomes part of a
 * path, so no key can climb out of the media directory (`../x`, `a/b`, `/etc`, NUL bytes).
 * Lower case because PostgreSQL accepts `A…` and `a…` as the same id, and the blob must be too.
 */
export function blobKey(key: string): RecordingId {
  const id = parseRecordingId(key)
  if (id === null) throw new TypeError('a blob key must be a UUID')
  return id
}

export function blobPaths(dir: string, key: string): BlobPaths {
  const base = join(dir, key)
  return { part: `${base}.part`, final: base, sidecar: `${base}.sha256` }
}

/** The key of an unfinished blob's file name, or null for any other name. */
export function unfinishedKey(fileName: string): string | null {
  const name = UNFINISHED.exec(fileName)?.[1]
  // Only the names this store writes: a lower-case UUID.
  return name !== undefined && parseRecordingId(name) === name ? name : null
}
