import type { Clock, RateLimitDecision, RateLimiter } from '@rec/domain'

export interface InProcessRateLimiterOptions {
  readonly perMinute: number
  readonly clock?: Clock
  /** Most keys kept; past it, idle keys go first, then the least recently seen. */
  readonly maxKeys?: number
}

const WINDOW_MS = 60_000

/**
 * GCRA (the generic cell rate algorithm): one timestamp per key, smooth refill, bursts up to
 * `perMinute`. Single instance only; the Redis adapter shares limits between instances.
 */
export class InProcessRateLimiter implements RateLimiter {
  readonly #limit: number
  readonly #intervalMs: number
  readonly #clock: Clock
  readonly #maxKeys: number
  /** key → theoretical arrival time (ms); a TAT in the past means a full quota. */
  readonly #tat = new Map<string, number>()

  constructor({
    perMinute,
    clock = { now: () => new Date() },
    maxKeys = 100_000,
  }: InProcessRateLimiterOptions) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error('perMinute must be a positive integer')
    this.#limit = perMinute
    this.#intervalMs = WINDOW_MS / perMinute
    this.#clock = clock
    this.#maxKeys = maxKeys
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const now = this.#clock.now().getTime()
    const tat = Math.max(this.#tat.get(key) ?? now, now)
    const next = tat + this.#intervalMs
    const allowAt = next - WINDOW_MS
    if (now < allowAt) {
      return {
        allowed: false,
        limit: this.#limit,
        remaining: 0,
        resetSeconds: Math.ceil((allowAt - now) / 1000),
      }
    }
    // Re-insert so Map order is least-recently-seen first, for eviction.
    this.#tat.delete(key)
    this.#tat.set(key, next)
    if (this.#tat.size > this.#maxKeys) this.#evict(now)
    return {
      allowed: true,
      limit: this.#limit,
      remaining: Math.floor((WINDOW_MS - (next - now)) / this.#intervalMs),
      resetSeconds: Math.ceil((next - now) / 1000),
    }
  }

  /** Keys tracked now, for tests and metrics. */
  get size(): number {
    return this.#tat.size
  }

  #evict(now: number): void {
    for (const [key, tat] of this.#tat) {
      if (tat <= now) this.#tat.delete(key)
    }
    for (const key of this.#tat.keys()) {
      if (this.#tat.size <= this.#maxKeys) break
      this.#tat.delete(key)
    }
  }
}
