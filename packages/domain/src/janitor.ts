import type { BlobStore } from './ports/blob-store.js'
import type { Clock } from './ports/clock.js'
import type { JobLock } from './ports/job-lock.js'
import type { Logger } from './ports/logger.js'
import type { RecordingRepo } from './ports/recording-repo.js'
import { isTerminal } from './recording.js'
import type { RecordingService } from './recording-service.js'

export interface JanitorDeps {
  readonly service: RecordingService
  readonly repo: RecordingRepo
  readonly blobs: BlobStore
  readonly lock: JobLock
  readonly clock: Clock
  readonly logger: Logger
  /** Completed recordings older than this are deleted, row and media; null keeps them forever. */
  readonly retentionMs: number | null
  /** Most recordings each step handles per run; the next run takes the rest. */
  readonly batch?: number
}

/** What one sweep did. */
export interface JanitorReport {
  /** Recordings the idle timeout or a limit ended, and stuck `stopping` ones finished. */
  readonly expired: number
  /** Unfinished media files that belonged to no recording, or to a terminal one. */
  readonly orphansRemoved: number
  /** Completed recordings past the retention period, deleted. */
  readonly retentionDeleted: number
  /** Idempotency claims past their 24 h. */
  readonly claimsPurged: number
}

export type JanitorRun =
  | { readonly outcome: 'done'; readonly report: JanitorReport }
  | { readonly outcome: 'skipped' }

const DAY_MS = 24 * 3600 * 1000

/**
 * The periodic clean-up (SPEC §8). Every instance runs it on a timer; the JobLock makes one sweep
 * run at a time across all of them, and a sweep that finds the lock held is skipped, not queued.
 */
export class Janitor {
  readonly #d: Required<JanitorDeps>

  constructor(deps: JanitorDeps) {
    this.#d = { batch: 100, ...deps }
  }

  /** One sweep. Rejects when the database or the lock is unavailable; the next run retries. */
  async run(): Promise<JanitorRun> {
    const locked = await this.#d.lock.tryRun('janitor', () => this.#sweep())
    return locked.acquired ? { outcome: 'done', report: locked.value } : { outcome: 'skipped' }
  }

  async #sweep(): Promise<JanitorReport> {
    const expired = await this.#d.service.expire(this.#d.batch)
    const orphansRemoved = await this.#removeOrphans()
    const retentionDeleted = await this.#applyRetention()
    const claimsPurged = await this.#d.repo.deleteExpiredClaims(this.#d.clock.now())
    return { expired, orphansRemoved, retentionDeleted, claimsPurged }
  }

  /**
   * A row is always written before its first byte and removed before its media, so an unfinished
   * file whose row is missing or terminal can never be appended to again. The finished media of a
   * completed recording is not touched: only the stray `.part`.
   */
  async #removeOrphans(): Promise<number> {
    let removed = 0
    for (const key of await this.#d.blobs.listUnfinished()) {
      const recording = await this.#d.repo.findById(key)
      if (recording && !isTerminal(recording.status)) continue
      await this.#d.blobs.removeUnfinished(key)
      removed++
    }
    return removed
  }

  async #applyRetention(): Promise<number> {
    const { retentionMs } = this.#d
    if (retentionMs === null) return 0
    const before = new Date(this.#d.clock.now().getTime() - retentionMs)
    let deleted = 0
    for (const recording of await this.#d.repo.findCompletedBefore(before, this.#d.batch)) {
      try {
        await this.#d.service.delete(recording.userId, recording.id)
        deleted++
      } catch (error) {
        // Deleted meanwhile by its owner, or the media is briefly unavailable: the next run retries.
        this.#d.logger.warn('retention delete failed', {
          recordingId: recording.id,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    }
    return deleted
  }
}

/** RETENTION_DAYS as milliseconds; null (unset) keeps recordings forever. */
export const retentionMs = (days: number | null): number | null => (days === null ? null : days * DAY_MS)
