import type { Recording } from '../recording.js'

/**
 * Hot copies of recordings. An optimisation only: every method may reject when the cache is
 * down, and callers then go to the RecordingRepo as if it had missed.
 */
export interface Cache {
  /** Resolves null on a miss. */
  get(id: string): Promise<Recording | null>
  /** Keeps `recording` for at most `ttlSeconds`. */
  set(recording: Recording, ttlSeconds: number): Promise<void>
  /** Forgets the copy so the next read goes to the repository. */
  delete(id: string): Promise<void>
}
