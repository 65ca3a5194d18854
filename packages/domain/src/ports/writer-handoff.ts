/**
 * How a writer on one instance hands a recording over to a newer one on another (SPEC §6.5, §12):
 * before the new writer takes the lease, the instance whose stream holds it is asked to stop
 * reading, store what it queued (its fencing token still valid) and close that stream with 4000.
 */
export type HandoffOutcome =
  /** Another instance had a stream of the key and has stored its pending bytes and closed it. */
  | 'released'
  /** Every other instance answered and none had a stream of the key (or no other instance runs). */
  | 'none'
  /** Not every instance answered within the bound (one died or hangs): the lease is taken anyway. */
  | 'timed-out'
  /** The channel between instances is down: the lease is taken anyway, the fence refuses the old writer. */
  | 'unavailable'

export interface WriterHandoff {
  /**
   * Asks every other instance to let go of `key` and resolves once each answered, or after a
   * bound. Never rejects: a writer that does not answer is still refused by the fencing token.
   */
  release(key: string): Promise<HandoffOutcome>
}
