export interface RateLimitDecision {
  readonly allowed: boolean
  /** Requests allowed per window. */
  readonly limit: number
  /** Requests left right now. */
  readonly remaining: number
  /** Seconds until the quota is full again; when refused, until the next request is allowed. */
  readonly resetSeconds: number
}

/** Counts requests per key (a user, or an IP before auth); one quota per key across instances when shared. */
export interface RateLimiter {
  /**
   * Counts one request for `key`. Rejects with DependencyUnavailableError when its store is down;
   * the caller then applies its own policy (the HTTP adapter's RATE_LIMIT_ON_REDIS_DOWN).
   */
  consume(key: string): Promise<RateLimitDecision>
}
