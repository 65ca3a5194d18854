import type { ListVersions } from '../ports/list-versions.js'
import { normaliseId } from '../recording-id.js'

/**
 * In-process ListVersions: right for a single instance only, since writes elsewhere would not
 * reach it. Versions count up across users and evictions, so none is ever given twice.
 */
export class MemoryListVersions implements ListVersions {
  readonly #versions = new Map<string, number>()
  readonly #maxUsers: number
  #next = 1

  constructor({ maxUsers = 100_000 }: { readonly maxUsers?: number } = {}) {
    this.#maxUsers = maxUsers
  }

  async current(userId: string): Promise<string> {
    const key = normaliseId(userId)
    let version = this.#versions.get(key)
    if (version === undefined) {
      version = this.#assign(key)
    }
    return String(version)
  }

  async bump(userId: string): Promise<void> {
    this.#assign(normaliseId(userId))
  }

  #assign(key: string): number {
    const version = this.#next++
    this.#versions.delete(key)
    if (this.#versions.size >= this.#maxUsers) {
      const oldest = this.#versions.keys().next()
      if (!oldest.done) this.#versions.delete(oldest.value)
    }
    this.#versions.set(key, version)
    return version
  }
}
