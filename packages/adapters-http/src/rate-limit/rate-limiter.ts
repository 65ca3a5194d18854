export interface RateLimitDecision {
  readonly allowed: boolean
  /** Requests allowed per window. */
  readonly limit: number
  /** Requests left right now. */
  readonly remaining: number
  /** Seconds until the quota is full again; when refused, until the next request is allowed. */
  readonly resetSeconds: number
}

/** Counts requests per key (a user, or an IP before auth). */
export interface RateLimiter {
  /** Counts one request for `key`. Rejects when its store is down; callers then let it through. */
  consume(key: string): Promise<RateLimitDecision>
}
