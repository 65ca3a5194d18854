/**
 * One writer per recording across instances (SPEC §12): each stream or upload that writes takes
 * the lease and gets a fencing token, and a BlobStore refuses appends carrying an older token.
 */
export interface WriterLease {
  /**
   * Takes the lease of `key` for a new writer; resolves with a token greater than every token
   * taken for `key` before. Rejects with DependencyUnavailableError when unreachable.
   */
  take(key: string): Promise<number>
  /** The newest token taken for `key`; 0 when none was. */
  current(key: string): Promise<number>
}
