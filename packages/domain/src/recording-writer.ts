import { type AfterCompletionOptions, dueOnSave } from './after-completion/due-task.js'
import {
  DomainError,
  OffsetMismatchError,
  RecordingNotFoundError,
  RecordingNotRecordingError,
} from './errors.js'
import type { ListPages } from './list-pages.js'
import { mustTransition } from './must-transition.js'
import type { Cache } from './ports/cache.js'
import type { Clock } from './ports/clock.js'
import type { EventBus } from './ports/event-bus.js'
import type { IdGenerator } from './ports/id-generator.js'
import type { ListVersions } from './ports/list-versions.js'
import type { Logger } from './ports/logger.js'
import type { RecordingRepo } from './ports/recording-repo.js'
import type { TotalsCache } from './ports/totals-cache.js'
import type { Recording, RecordingStatus } from './recording.js'

export interface RecordingWriterDeps {
  readonly repo: RecordingRepo
  readonly cache: Cache
  readonly totals: TotalsCache
  readonly listVersions: ListVersions | null
  /** The pages this process holds; forgotten when a version could not be moved. */
  readonly pages: ListPages
  readonly events: EventBus
  readonly clock: Clock
  readonly logger: Logger
  readonly ids: IdGenerator
  readonly progressIntervalMs: number
  readonly progressSavesPerSecond: number
  readonly afterCompletion: AfterCompletionOptions
}

export type ProgressMode = 'now' | 'throttled' | 'if-stale'

/**
 * How RecordingService saves a recording: compare-and-set in the repository, then the cache copy
 * dropped (delete-on-write) and the change published. Also keeps the rows of attached streams.
 */
export class RecordingWriter {
  readonly #d: RecordingWriterDeps
  readonly #lastProgressAt = new Map<string, number>()
  /**
   * The row of each recording a stream attached to here, kept current by `save`: appends use it
   * instead of reading the row for every batch of frames, which at 2,000 streams was a database
   * round trip per frame (bench/RESULTS.md). Rows change through this service under the
   * per-recording mutex; a change made elsewhere still fails the next compare-and-set save.
   */
  readonly #attached = new Map<string, Recording>()
  /** Bytes in the blob of each attached recording after its last append here. */
  readonly #stored = new Map<string, number>()
  /** Progress saves running behind appends (`progressBehind`), one at most per recording. */
  readonly #behind = new Map<string, Promise<void>>()
  /** The database refused the last such save: the recording's next append reports it. */
  readonly #unsaved = new Map<string, unknown>()

  constructor(deps: RecordingWriterDeps) {
    this.#d = deps
  }

  attached(id: string): Recording | undefined {
    return this.#attached.get(id)
  }

  /**
   * Keeps the row of a stream that just attached (its progress saved 'now'). The next throttled
   * save is moved earlier by a fraction of the interval taken from the id: streams that attach
   * together then save at spread-out moments instead of all in the same millisecond once a
   * second, when every one of their appends would wait on the database at once (the ack p99 of
   * 200 streams, bench/NOTES.md).
   */
  attach(recording: Recording): void {
    this.#unsaved.delete(recording.id)
    this.#attached.set(recording.id, recording)
    this.#stored.set(recording.id, recording.sizeBytes)
    const phase = (Number.parseInt(recording.id.slice(-4), 16) || 0) / 0x10000
    const savedAt = this.#lastProgressAt.get(recording.id) ?? this.#d.clock.now().getTime()
    this.#lastProgressAt.set(recording.id, savedAt - phase * this.#d.progressIntervalMs)
  }

  /**
   * Keeps the row of a recording appended to without `attach` (an HTTP upload) until it stops
   * being `recording`, like an attached stream's; its size is noted by the next `appended`.
   */
  keep(recording: Recording): void {
    if (recording.status === 'recording' && !this.#attached.has(recording.id)) {
      this.#attached.set(recording.id, recording)
    }
  }

  /** Notes the blob's size after an append to an attached recording. */
  appended(id: string, size: number): void {
    if (this.#attached.has(id)) this.#stored.set(id, size)
  }

  /** After a failed append: the blob's size is no longer known here. */
  sizeUnknown(id: string): void {
    this.#stored.delete(id)
  }

  /** The blob's size after the last append here, while the recording is attached. */
  stored(id: string): number | undefined {
    return this.#attached.has(id) ? this.#stored.get(id) : undefined
  }

  forgetLocal(id: string): void {
    this.#detach(id)
    this.#unsaved.delete(id)
    this.#lastProgressAt.delete(id)
  }

  #detach(id: string): void {
    this.#attached.delete(id)
    this.#stored.delete(id)
    this.#unsaved.delete(id)
  }

  /**
   * Saves `next` if the stored status is still `expected`; else says what it is now. A progress
   * save still running behind an append finishes first, so saves of a row apply in order.
   */
  async save(next: Recording, expected: RecordingStatus): Promise<Recording> {
    const behind = this.#behind.get(next.id)
    if (behind) await behind
    return this.#save(next, expected)
  }

  async #save(next: Recording, expected: RecordingStatus): Promise<Recording> {
    const due = dueOnSave(expected, next, this.dueContext())
    const saved = await this.#d.repo.update(next, expected, due)
    if (saved && next.status === 'recording' && this.#attached.has(next.id)) this.#attached.set(next.id, next)
    else this.#detach(next.id)
    if (!saved) {
      const current = await this.#d.repo.findById(next.id)
      if (!current) throw new RecordingNotFoundError()
      throw new RecordingNotRecordingError(current.status)
    }
    await Promise.all([this.forgetCached(next.id), this.forgetPages(next.userId)])
    if (next.status !== expected) await this.forgetTotals(next.userId)
    await this.publish(next)
    return next
  }

  dueContext() {
    return { options: this.#d.afterCompletion, newId: () => this.#d.ids.newId(), now: this.#d.clock.now() }
  }

  /**
   * Saves the stored size and activity: 'now' always, 'throttled' at most once a progress
   * interval, 'if-stale' when the saved size lags or the activity mark is an interval old.
   */
  async progress(recording: Recording, size: number, mode: ProgressMode): Promise<Recording> {
    const now = this.#d.clock.now().getTime()
    const interval = this.#d.progressIntervalMs
    if (mode === 'throttled' && now - (this.#lastProgressAt.get(recording.id) ?? 0) < interval)
      return recording
    if (
      mode === 'if-stale' &&
      size === recording.sizeBytes &&
      now - recording.lastActivityAt.getTime() < interval
    ) {
      return recording
    }
    this.#lastProgressAt.set(recording.id, now)
    const next = mustTransition(recording, { type: 'progress', sizeBytes: size }, new Date(now))
    return this.save(next, 'recording')
  }

  /**
   * A throttled progress save that the caller does not wait for: at most one a progress interval
   * (longer with more streams attached than `progressSavesPerSecond`) and one in flight per
   * recording. A failure is logged; the next save, `touch` or `stop`
   * brings the row current, and a recording stopped elsewhere is noticed by the next append.
   * Returns the row as last saved (`recording`: the save started here has not finished).
   */
  progressBehind(recording: Recording, size: number): Recording {
    const now = this.#d.clock.now().getTime()
    if (this.#behind.has(recording.id)) return recording
    const interval = Math.max(
      this.#d.progressIntervalMs,
      (this.#attached.size * 1000) / this.#d.progressSavesPerSecond,
    )
    if (now - (this.#lastProgressAt.get(recording.id) ?? 0) < interval) return recording
    this.#lastProgressAt.set(recording.id, now)
    const next = mustTransition(recording, { type: 'progress', sizeBytes: size }, new Date(now))
    const saving = this.#save(next, 'recording').then(
      () => undefined,
      (error: unknown) => {
        // Not-recording (stopped or deleted meanwhile) is for the next append to find out.
        if (error instanceof DomainError && error.code !== 'DEPENDENCY_UNAVAILABLE') return
        this.warn('progress save', error, undefined)
        // An outage: the stream is told by its next append (1013, resume later) rather than
        // streaming on while the row, the idle timeout and the janitor cannot follow.
        this.#unsaved.set(recording.id, error)
      },
    )
    this.#behind.set(recording.id, saving)
    void saving.then(() => {
      if (this.#behind.get(recording.id) === saving) this.#behind.delete(recording.id)
    })
    return recording
  }

  /** Throws, once, the outage a progress save behind an earlier append of `id` ran into. */
  throwIfUnsaved(id: string): void {
    const error = this.#unsaved.get(id)
    if (error === undefined) return
    this.#unsaved.delete(id)
    throw error
  }

  /**
   * After a stop whose media the store refused to finalize (full, read-only): back to `recording`,
   * so the client may resume or stop again once storage is back. When even this save fails (the
   * database is down too) the row stays `stopping` and the janitor finishes it after
   * `stuckStoppingMs`, as after a crash. Never rejects: the caller reports the storage error.
   */
  async reopenAfterFailedStop(stopping: Recording): Promise<void> {
    try {
      await this.save(mustTransition(stopping, { type: 'reopen' }, this.#d.clock.now()), 'stopping')
    } catch (error) {
      this.warn('reopen after a failed stop', error, undefined)
    }
  }

  /** Fails unless the stored row is still `recording` (another instance may have stopped it). */
  async confirmStillRecording(id: string): Promise<void> {
    const current = await this.#d.repo.findById(id)
    if (current?.status === 'recording') return
    this.#detach(id)
    if (!current) throw new RecordingNotFoundError()
    throw new RecordingNotRecordingError(current.status)
  }

  /**
   * An offset mismatch on a recording that another instance has meanwhile stopped is really "not
   * recording": say that, so the client does not retry at another offset.
   */
  async explainMismatch(recording: Recording, error: unknown): Promise<unknown> {
    if (!(error instanceof OffsetMismatchError)) return error
    const current = await this.#d.repo.findById(recording.id).catch(() => null)
    return current && current.status !== 'recording' ? new RecordingNotRecordingError(current.status) : error
  }

  async forgetCached(id: string): Promise<void> {
    await this.#d.cache.delete(id).catch((error: unknown) => this.warn('cache delete', error, undefined))
  }

  /**
   * After any committed write of the user's rows: pages read before it are not served again, here
   * or on another instance sharing the versions. When the version cannot be moved, this process
   * forgets every page it holds (other instances' pages age out within the cache TTL, as the
   * recording cache's copies do).
   */
  async forgetPages(userId: string): Promise<void> {
    const versions = this.#d.listVersions
    if (!versions) return
    await versions.bump(userId).catch((error: unknown) => {
      this.#d.pages.clear()
      this.warn('list version bump', error, undefined)
    })
  }

  /** After a recording of the user was created, deleted or changed status: its list totals changed. */
  async forgetTotals(userId: string): Promise<void> {
    await this.#d.totals
      .forget(userId)
      .catch((error: unknown) => this.warn('totals forget', error, undefined))
  }

  async publish(recording: Recording): Promise<void> {
    await this.#d.events
      .publish({ type: 'recording.updated', recording })
      .catch((error: unknown) => this.warn('event publish', error, undefined))
  }

  /** Logs a failure of an optional backend and goes on with `fallback`; domain errors still throw. */
  warn<T>(what: string, error: unknown, fallback: T): T {
    if (error instanceof DomainError && error.code !== 'DEPENDENCY_UNAVAILABLE') throw error
    this.#d.logger.warn(`${what} failed`, { error: error instanceof Error ? error.message : String(error) })
    return fallback
  }
}
