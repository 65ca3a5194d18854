/**
 * One writer per recording across instances (SPEC §12): each stream or upload that writes takes
 * the lease and gets a fencing token, and a BlobStore refuses appends carrying an older token.
 */
export interface WriterLease {
  /**
   * Takes the lease of `key` for a new writer; resolves with a token greater than every token
   * taken for `key` before, once no write `guard`ed under an older token is still running.
   * Rejects with DependencyUnavailableError when unreachable or when such a write outlasts the
   * lease's wait bound.
   */
  take(key: string): Promise<number>
  /** The newest token taken for `key`; 0 when none was. */
  current(key: string): Promise<number>
  /**
   * Runs `write` as the writer holding `fence`: rejects with WriterFencedError (without running
   * it) when a newer token was taken, and no `take` of `key` completes while `write` runs, so a
   * store with no compare-and-set of its own (a file) cannot take a stale writer's bytes after a
   * takeover. Rejects with `write`'s own error, or DependencyUnavailableError when unreachable.
   */
  guard<T>(key: string, fence: number, write: () => Promise<T>): Promise<T>
}
