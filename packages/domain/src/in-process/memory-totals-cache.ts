import type { Clock } from '../ports/clock.js'
import type { CachedTotal, TotalsCache } from '../ports/totals-cache.js'
import { normaliseId } from '../recording-id.js'

export interface MemoryTotalsCacheOptions {
  /** Users whose totals are kept; the least recently written go first. */
  readonly maxUsers?: number
}

type UserTotals = { generation: number; readonly totals: Map<string, { total: number; expiresAt: number }> }

/** In-process TotalsCache on the given clock; the default when no Redis is configured. */
export class MemoryTotalsCache implements TotalsCache {
  readonly #users = new Map<string, UserTotals>()
  readonly #clock: Clock
  readonly #maxUsers: number
  /** Generations keep rising across evictions, so an evicted user's old generation never matches again. */
  #nextGeneration = 1

  constructor(clock: Clock, { maxUsers = 10_000 }: MemoryTotalsCacheOptions = {}) {
    this.#clock = clock
    this.#maxUsers = maxUsers
  }

  async get(userId: string, filter: string): Promise<CachedTotal> {
    const user = this.#user(userId)
    const entry = user.totals.get(filter)
    const live = entry && entry.expiresAt > this.#clock.now().getTime() ? entry.total : null
    return { total: live, generation: String(user.generation) }
  }

  async set(
    userId: string,
    filter: string,
    generation: string,
    total: number,
    ttlSeconds: number,
  ): Promise<void> {
    const user = this.#user(userId)
    if (String(user.generation) !== generation) return
    user.totals.set(filter, { total, expiresAt: this.#clock.now().getTime() + ttlSeconds * 1000 })
  }

  async forget(userId: string): Promise<void> {
    const user = this.#user(userId)
    user.generation = this.#nextGeneration++
    user.totals.clear()
  }

  #user(userId: string): UserTotals {
    const key = normaliseId(userId)
    let user = this.#users.get(key)
    if (user) {
      // Most recently used last: eviction takes the first.
      this.#users.delete(key)
    } else {
      user = { generation: this.#nextGeneration++, totals: new Map() }
      if (this.#users.size >= this.#maxUsers) {
        const oldest = this.#users.keys().next()
        if (!oldest.done) this.#users.delete(oldest.value)
      }
    }
    this.#users.set(key, user)
    return user
  }
}
