import type { Recording } from '../recording.js'

/**
 * Hot copies of recordings. An optimisation only: every method may reject when the cache is
 * down, and callers then go to the RecordingRepo as if it had missed.
 */
export interface Cache {
  /** Resolves null on a miss. */
  get(id: string): Promise<Recording | null>
  /**
   * Keeps `recording` for at most `ttlSeconds`, unless a copy is already held or the id was
   * deleted within the invalidation window (then it does nothing: see `delete`).
   */
  set(recording: Recording, ttlSeconds: number): Promise<void>
  /**
   * Forgets the copy so the next read goes to the repository, and ignores `set` of that id for a
   * short invalidation window, so a read that fetched the row just before a write cannot put the
   * older copy back after it.
   */
  delete(id: string): Promise<void>
}
