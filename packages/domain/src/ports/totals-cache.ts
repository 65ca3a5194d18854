/**
 * Cached totals of users' lists (`pagination.total`), so a page does not count every matching row
 * each time. An optimisation only: every method may reject, and callers then count as if it had
 * missed. A total is only ever kept for the generation it was read at: `forget` starts a new one,
 * so a count that raced a write cannot be kept past it.
 */
export interface TotalsCache {
  /** The cached total of the user's list for `filter` (null on a miss) and the current generation. */
  get(userId: string, filter: string): Promise<CachedTotal>
  /** Keeps `total` for at most `ttlSeconds`, unless the user's totals were forgotten since `generation`. */
  set(userId: string, filter: string, generation: string, total: number, ttlSeconds: number): Promise<void>
  /** Forgets every total of the user; called after a recording of theirs was created, deleted or changed status. */
  forget(userId: string): Promise<void>
}

export interface CachedTotal {
  readonly total: number | null
  readonly generation: string
}
