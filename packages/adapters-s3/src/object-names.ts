import { randomBytes } from 'node:crypto'
import { isUuid, normaliseId } from '@rec/domain'

/**
 * Checks that `key` is a UUID and returns it in lower case: only a UUID ever becomes part of an
 * object name, and PostgreSQL takes `A…` and `a…` as the same id, so the blob must too.
 */
export function blobKey(key: string): string {
  if (typeof key !== 'string' || !isUuid(key)) throw new TypeError('a blob key must be a UUID')
  return normaliseId(key)
}

/** Object names of one bucket prefix: `<prefix><key>` published, `<prefix><key>.tail-…` tail segments. */
export class ObjectNames {
  readonly #prefix: string

  constructor(prefix: string) {
    this.#prefix = prefix
  }

  final(key: string): string {
    return `${this.#prefix}${key}`
  }

  /** A fresh, never reused name: a writer that lost its compare-and-set cannot overwrite another's segment. */
  tailSegment(key: string, version: number): string {
    return `${this.#prefix}${key}.tail-${version}-${randomBytes(6).toString('hex')}`
  }

  /** The key of a tail segment name under this prefix, or null for any other object. */
  keyOfTailSegment(name: string): string | null {
    if (!name.startsWith(this.#prefix)) return null
    const match = /^([0-9a-f-]{36})\.tail-/.exec(name.slice(this.#prefix.length))
    return match?.[1] ?? null
  }

  get prefix(): string {
    return this.#prefix
  }
}
