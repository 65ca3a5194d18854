import type { DueTask } from '../after-completion/due-task.js'
import type { MediaFacts, StoredRendition } from '../media-facts.js'
import type { Recording, RecordingStatus } from '../recording.js'

export interface ListQuery {
  readonly userId: string
  readonly status: RecordingStatus | null
  readonly sessionId: string | null
  /** 1-based; ignored when `after` is set. */
  readonly page: number
  readonly limit: number
  /**
   * Keyset pagination: only the recordings that come after this position in list order. A deep
   * page then costs what the first does, where an offset reads and discards every row before it.
   */
  readonly after?: ListPosition | undefined
}

/** Where a recording sits in the list order: `createdAt` descending, then `id` descending. */
export interface ListPosition {
  readonly createdAt: Date
  readonly id: string
}

export interface RecordingPage {
  readonly items: readonly Recording[]
  readonly total: number
}

/** Binds an Idempotency-Key to the recording a start created. */
export interface IdempotencyClaim {
  readonly userId: string
  readonly key: string
  /** Canonical form of the request: a replay with another fingerprint is a reuse. */
  readonly fingerprint: string
  readonly expiresAt: Date
}

export type CreateOutcome =
  | { readonly kind: 'created' }
  | { readonly kind: 'replayed'; readonly recordingId: string; readonly fingerprint: string }

/**
 * Keeps recording metadata. Every method rejects with DependencyUnavailableError when the
 * store cannot be reached.
 */
export interface RecordingRepo {
  /**
   * Inserts `recording`. With a claim, records the key in the same transaction, or, when an
   * unexpired claim for (user, key) exists, inserts nothing and resolves `replayed`.
   * Rejects with RecordingAlreadyActiveError when the session has an active recording.
   */
  create(recording: Recording, claim: IdempotencyClaim | null): Promise<CreateOutcome>
  /** Resolves null when there is no such recording. */
  findById(id: string): Promise<Recording | null>
  /** The user's recordings, newest first, with the total that match the filters. */
  list(query: ListQuery): Promise<RecordingPage>
  /** The items of `list` alone, when the total is known already (it is the costly part). */
  listItems(query: ListQuery): Promise<readonly Recording[]>
  /**
   * Saves `recording` if the stored status still equals `expected` (compare-and-set);
   * resolves false when it does not or the row is gone. The `due` tasks are committed in the
   * same transaction as the save, and only when it saves (none given: none are due).
   */
  update(recording: Recording, expected: RecordingStatus, due?: readonly DueTask[]): Promise<boolean>
  /**
   * Sets the media facts (and the seekable rendition, if one was made) of a completed recording,
   * committing `due` with them; resolves false (and commits nothing) when there is no completed
   * recording `id`.
   */
  saveMedia(
    id: string,
    media: MediaFacts,
    seekable: StoredRendition | null,
    due?: readonly DueTask[],
  ): Promise<boolean>
  /** Removes the row, committing `due` with it; resolves false (and commits nothing) when it was not there. */
  delete(id: string, due?: readonly DueTask[]): Promise<boolean>
  /**
   * Active recordings (recording or stopping) idle since before `idleBefore` or started before
   * `startedBefore`, oldest first, at most `limit`.
   */
  findExpired(idleBefore: Date, startedBefore: Date, limit: number): Promise<readonly Recording[]>
  /** Completed recordings created before `createdBefore`, oldest first, at most `limit` (retention). */
  findCompletedBefore(createdBefore: Date, limit: number): Promise<readonly Recording[]>
  /** Removes idempotency claims that expired before `before`; resolves how many it removed. */
  deleteExpiredClaims(before: Date): Promise<number>
}
