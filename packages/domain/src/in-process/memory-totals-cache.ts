import type { Clock } from '../ports/clock.js'
import type { CachedTotal, TotalsCache } from '../ports/totals-cache.js'
import { normaliseId } from '../recording-id.js'

export interface MemoryTotalsCacheOptions {
  /** Users whose totals are kept; the least recently used go first. */
  readonly maxUsers?: number
  /** Filters kept per user; the least recently set go first. */
  readonly maxPerUser?: number
  /** Totals kept in all; past it the least recently used user's oldest go first. */
  readonly maxEntries?: number
  /** How often at most a call also drops every expired total (and users left with none). */
  readonly sweepIntervalMs?: number
}

type Entry = { readonly total: number; readonly expiresAt: number }
type UserTotals = { generation: number; readonly totals: Map<string, Entry> }

/**
 * In-process TotalsCache on the given clock; the default when no Redis is configured. Bounded
 * whatever callers send: each distinct list filter a user reads is an entry, so a read-only user
 * with random filters would otherwise grow the heap for ever (issue 10). Expired totals are
 * dropped by a sweep at most every `sweepIntervalMs`, not only when read again; the caps evict the
 * least recently used.
 */
export class MemoryTotalsCache implements TotalsCache {
  readonly #users = new Map<string, UserTotals>()
  readonly #clock: Clock
  readonly #maxUsers: number
  readonly #maxPerUser: number
  readonly #maxEntries: number
  readonly #sweepIntervalMs: number
  #entries = 0
  #lastSweep: number
  /** Generations keep rising across evictions, so an evicted user's old generation never matches again. */
  #nextGeneration = 1

  constructor(
    clock: Clock,
    {
      maxUsers = 10_000,
      maxPerUser = 100,
      maxEntries = 20_000,
      sweepIntervalMs = 60_000,
    }: MemoryTotalsCacheOptions = {},
  ) {
    this.#clock = clock
    this.#maxUsers = maxUsers
    this.#maxPerUser = maxPerUser
    this.#maxEntries = maxEntries
    this.#sweepIntervalMs = sweepIntervalMs
    this.#lastSweep = clock.now().getTime()
  }

  /** Totals held now, across users (a gauge; never above `maxEntries`). */
  get size(): number {
    return this.#entries
  }

  async get(userId: string, filter: string): Promise<CachedTotal> {
    const now = this.#sweepIfDue()
    const user = this.#user(userId)
    const entry = user.totals.get(filter)
    if (entry && entry.expiresAt <= now) this.#drop(user, filter)
    const live = entry && entry.expiresAt > now ? entry.total : null
    return { total: live, generation: String(user.generation) }
  }

  async set(
    userId: string,
    filter: string,
    generation: string,
    total: number,
    ttlSeconds: number,
  ): Promise<void> {
    const now = this.#sweepIfDue()
    const user = this.#user(userId)
    if (String(user.generation) !== generation) return
    // Re-inserted last, so each user's map runs from the least to the most recently set.
    this.#drop(user, filter)
    while (user.totals.size >= this.#maxPerUser) this.#dropOldest(user)
    while (this.#entries >= this.#maxEntries && this.#evictOne(user)) {}
    user.totals.set(filter, { total, expiresAt: now + ttlSeconds * 1000 })
    this.#entries++
  }

  async forget(userId: string): Promise<void> {
    const user = this.#user(userId)
    user.generation = this.#nextGeneration++
    this.#entries -= user.totals.size
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
        const oldest = this.#users.entries().next()
        if (!oldest.done) this.#removeUser(oldest.value[0], oldest.value[1])
      }
    }
    this.#users.set(key, user)
    return user
  }

  /** Frees one total for `keep` to add: the oldest of the least recently used other user, else its own. */
  #evictOne(keep: UserTotals): boolean {
    for (const [key, user] of this.#users) {
      if (user === keep) continue
      if (user.totals.size === 0) {
        this.#removeUser(key, user)
        continue
      }
      this.#dropOldest(user)
      return true
    }
    if (keep.totals.size === 0) return false
    this.#dropOldest(keep)
    return true
  }

  /** Every `sweepIntervalMs`: drops each expired total, and users left with none (a new generation is as safe). */
  #sweepIfDue(): number {
    const now = this.#clock.now().getTime()
    if (now - this.#lastSweep < this.#sweepIntervalMs) return now
    this.#lastSweep = now
    for (const [key, user] of this.#users) {
      for (const [filter, entry] of user.totals) if (entry.expiresAt <= now) this.#drop(user, filter)
      if (user.totals.size === 0) this.#removeUser(key, user)
    }
    return now
  }

  #dropOldest(user: UserTotals): void {
    const oldest = user.totals.keys().next()
    if (!oldest.done) this.#drop(user, oldest.value)
  }

  #drop(user: UserTotals, filter: string): void {
    if (user.totals.delete(filter)) this.#entries--
  }

  #removeUser(key: string, user: UserTotals): void {
    this.#entries -= user.totals.size
    this.#users.delete(key)
  }
}
