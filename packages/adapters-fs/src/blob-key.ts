import { join } from 'node:path'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const UNFINISHED = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.part$/

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
export function blobKey(key: string): string {
  if (typeof key !== 'string' || !UUID.test(key)) throw new TypeError('a blob key must be a UUID')
  return key.toLowerCase()
}

export function blobPaths(dir: string, key: string): BlobPaths {
  const base = join(dir, key)
  return { part: `${base}.part`, final: base, sidecar: `${base}.sha256` }
}

/** The key of an unfinished blob's file name, or null for any other name. */
export function unfinishedKey(fileName: string): string | null {
  return UNFINISHED.exec(fileName)?.[1] ?? null
}
