import type { ListQuery, RecordingPage } from './ports/recording-repo.js'

export interface ListPagesOptions {
  /** Recordings held across all pages; the least recently stored pages go first. */
  readonly maxItems?: number
}

interface Held {
  readonly page: RecordingPage
  readonly expiresAt: number
}

/**
 * Pages of users' lists held in this process, each under the list version it was read at
 * (`ListVersions`): a write of the user's rows moves the version, and a page of an older one is
 * never looked up again. Bounded by the recordings it holds, not by pages, since a page holds up
 * to 100. A hit returns the same page object, so the HTTP layer can keep its rendering too.
 */
export class ListPages {
  readonly #pages = new Map<string, Held>()
  readonly #maxItems: number
  #items = 0

  constructor({ maxItems = 20_000 }: ListPagesOptions = {}) {
    this.#maxItems = maxItems
  }

  /** The key of `query` at `version`: every field of the query that shapes the page. */
  static key(query: ListQuery, version: string): string {
    const after = query.after ? `${query.after.createdAt.getTime()}/${query.after.id}` : '-'
    const filter = `${query.status ?? '*'}|${query.sessionId ?? '*'}`
    return `${query.userId}|${version}|${filter}|${query.after ? 0 : query.page}|${query.limit}|${after}`
  }

  get(key: string, now: number): RecordingPage | null {
    const held = this.#pages.get(key)
    if (!held) return null
    if (held.expiresAt > now) return held.page
    this.#drop(key, held)
    return null
  }

  set(key: string, page: RecordingPage, expiresAt: number): void {
    const before = this.#pages.get(key)
    if (before) this.#drop(key, before)
    const size = Math.max(1, page.items.length)
    if (size > this.#maxItems) return
    while (this.#items + size > this.#maxItems) {
      const oldest = this.#pages.entries().next()
      if (oldest.done) break
      this.#drop(oldest.value[0], oldest.value[1])
    }
    this.#pages.set(key, { page, expiresAt })
    this.#items += size
  }

  /** Forgets every page: after a version could not be moved (its store down), none here is trusted. */
  clear(): void {
    this.#pages.clear()
    this.#items = 0
  }

  /** Pages held now. */
  get size(): number {
    return this.#pages.size
  }

  #drop(key: string, held: Held): void {
    this.#pages.delete(key)
    this.#items -= Math.max(1, held.page.items.length)
  }
}
