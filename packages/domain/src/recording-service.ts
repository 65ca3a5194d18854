import {
  DomainError,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  OffsetMismatchError,
  RecordingNotCompletedError,
  RecordingNotFoundError,
  RecordingNotRecordingError,
} from './errors.js'
import { KeyedMutex } from './keyed-mutex.js'
import { mustTransition } from './must-transition.js'
import type { BlobRange, BlobStore } from './ports/blob-store.js'
import type { Cache } from './ports/cache.js'
import type { Clock } from './ports/clock.js'
import type { EventBus } from './ports/event-bus.js'
import type { IdGenerator } from './ports/id-generator.js'
import type { Logger } from './ports/logger.js'
import type { ListQuery, RecordingPage, RecordingRepo } from './ports/recording-repo.js'
import {
  DEFAULT_CONFIG,
  isTerminal,
  type Recording,
  type RecordingConfig,
  type StopReason,
} from './recording.js'
import { resolveRange } from './resolve-range.js'
import { takeBytes } from './take-bytes.js'

export interface RecordingLimits {
  readonly maxBytes: number
  readonly maxDurationMs: number
  readonly idleTimeoutMs: number
}

export interface RecordingServiceDeps {
  readonly repo: RecordingRepo
  readonly blobs: BlobStore
  readonly cache: Cache
  readonly events: EventBus
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly logger: Logger
  readonly limits: RecordingLimits
  /** How often, at most, progress is saved and published per recording. */
  readonly progressIntervalMs?: number
  readonly cacheTtlSeconds?: number
  readonly idempotencyTtlMs?: number
  /** How long a `stopping` recording may stay so before `expire` finishes it (crash recovery). */
  readonly stuckStoppingMs?: number
  /**
   * Set when several instances share the stores: each append then re-reads the status after
   * writing, so bytes written after another instance stopped the recording are never acked.
   */
  readonly verifyAfterWrite?: boolean
}

export interface StartCommand {
  readonly userId: string
  readonly sessionId: string
  readonly config?: Partial<RecordingConfig> | undefined
  readonly idempotencyKey?: string | undefined
}

export interface AppendCommand {
  readonly userId: string
  readonly id: string
  readonly offset: number
  readonly body: AsyncIterable<Uint8Array>
  /** 'now' saves the size at once (one HTTP request); streams leave it throttled and `touch`. */
  readonly progress?: 'now' | 'throttled'
}

export interface AppendResult {
  /** Bytes stored after this append: every byte below it is in the blob store. */
  readonly offset: number
  /** Set when a limit completed the recording during this append. */
  readonly completed: Recording | null
}

/** A requested byte range before it is checked against the size (`bytes=a-b`, `bytes=-n`). */
export type RequestedRange =
  | { readonly kind: 'from'; readonly start: number; readonly end: number | null }
  | { readonly kind: 'suffix'; readonly length: number }

export interface Content {
  readonly recording: Recording
  /** The served range, or null for the whole blob. */
  readonly range: BlobRange | null
  readonly body: AsyncIterable<Uint8Array>
}

export type ContentState =
  | { readonly kind: 'uploading'; readonly recording: Recording; readonly offset: number }
  | { readonly kind: 'completed'; readonly recording: Recording }

/** Every use case of a recording; other services embed this with their own adapters. */
export class RecordingService {
  readonly #d: Required<RecordingServiceDeps>
  readonly #mutex = new KeyedMutex()
  readonly #lastProgressAt = new Map<string, number>()
  /**
   * The row of each recording a stream attached to here, kept current by `#save`: appends use it
   * instead of reading the row for every batch of frames, which at 2,000 streams was a database
   * round trip per frame (bench/RESULTS.md). Rows change through this service under the
   * per-recording mutex; a change made elsewhere still fails the next compare-and-set save.
   */
  readonly #attached = new Map<string, Recording>()

  constructor(deps: RecordingServiceDeps) {
    this.#d = {
      progressIntervalMs: 1000,
      cacheTtlSeconds: 60,
      idempotencyTtlMs: 24 * 3600 * 1000,
      stuckStoppingMs: 60_000,
      verifyAfterWrite: false,
      ...deps,
    }
  }

  get limits(): RecordingLimits {
    return this.#d.limits
  }

  async start(cmd: StartCommand): Promise<{ recording: Recording; replayed: boolean }> {
    const now = this.#d.clock.now()
    const config: RecordingConfig = { ...DEFAULT_CONFIG, ...cmd.config }
    const recording: Recording = {
      id: this.#d.ids.newId(),
      sessionId: cmd.sessionId,
      userId: cmd.userId,
      status: 'recording',
      config,
      sizeBytes: 0,
      durationMs: null,
      checksum: null,
      stopReason: null,
      failureReason: null,
      startedAt: now,
      stoppedAt: null,
      lastActivityAt: now,
      createdAt: now,
      updatedAt: now,
    }
    const fingerprint = JSON.stringify([cmd.sessionId, config.quality, config.format])
    const claim = cmd.idempotencyKey
      ? {
          userId: cmd.userId,
          key: cmd.idempotencyKey,
          fingerprint,
          expiresAt: new Date(now.getTime() + this.#d.idempotencyTtlMs),
        }
      : null
    const outcome = await this.#d.repo.create(recording, claim)
    if (outcome.kind === 'replayed') {
      if (outcome.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError()
      return { recording: await this.get(cmd.userId, outcome.recordingId), replayed: true }
    }
    await this.#publish(recording)
    return { recording, replayed: false }
  }

  /** The recording if it exists and belongs to `userId`; another user's is not found. */
  async get(userId: string, id: string): Promise<Recording> {
    const recording = await this.#d.repo.findById(id)
    if (!recording || recording.userId !== userId) throw new RecordingNotFoundError()
    return recording
  }

  /** Like `get`, served from the cache when it can be. */
  async status(userId: string, id: string): Promise<Recording> {
    const cached = await this.#d.cache.get(id).catch((error: unknown) => this.#warn('cache get', error, null))
    if (cached) {
      if (cached.userId !== userId) throw new RecordingNotFoundError()
      return cached
    }
    const recording = await this.get(userId, id)
    await this.#d.cache
      .set(recording, this.#d.cacheTtlSeconds)
      .catch((error: unknown) => this.#warn('cache set', error, undefined))
    return recording
  }

  list(query: ListQuery): Promise<RecordingPage> {
    return this.#d.repo.list(query)
  }

  /** Attaches a stream: the offset to resume from, after every pending write of an earlier one. */
  attach(userId: string, id: string): Promise<{ recording: Recording; offset: number }> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      const recording = await this.get(userId, id)
      if (recording.status !== 'recording') throw new RecordingNotRecordingError(recording.status)
      const offset = await this.#d.blobs.size(recording.id)
      this.#attached.set(recording.id, await this.#progress(recording, offset, 'now'))
      return { recording, offset }
    })
  }

  /**
   * Saves a lagging size and marks the recording active, so the idle timeout spares an attached
   * stream; streams call it an interval after their last append and on each keepalive.
   */
  touch(userId: string, id: string): Promise<void> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      const recording = await this.get(userId, id)
      if (recording.status === 'recording') {
        await this.#progress(recording, await this.#d.blobs.size(recording.id), 'if-stale')
      }
    })
  }

  /** Appends media (both ingest paths); limits complete the recording and drop the excess. */
  append(cmd: AppendCommand): Promise<AppendResult> {
    return this.#mutex.run(cmd.id.toLowerCase(), async () => {
      const attached = this.#attached.get(cmd.id.toLowerCase())
      const recording = attached?.userId === cmd.userId ? attached : await this.get(cmd.userId, cmd.id)
      if (recording.status !== 'recording') throw new RecordingNotRecordingError(recording.status)
      const { maxBytes, maxDurationMs } = this.#d.limits
      if (this.#d.clock.now().getTime() - recording.startedAt.getTime() >= maxDurationMs) {
        const completed = await this.#stopLocked(recording, 'limit_duration')
        return { offset: completed.sizeBytes, completed }
      }
      const limited = takeBytes(cmd.body, Math.max(0, maxBytes - cmd.offset))
      let size: number
      try {
        size = await this.#d.blobs.append(recording.id, cmd.offset, limited.body)
      } catch (error) {
        if (!(error instanceof OffsetMismatchError)) await this.#saveProgressAfterFailure(recording)
        throw await this.#explainMismatch(recording, error)
      }
      if (this.#d.verifyAfterWrite) await this.#confirmStillRecording(recording.id)
      if (size >= maxBytes || limited.truncated()) {
        const completed = await this.#stopLocked(recording, 'limit_size')
        return { offset: completed.sizeBytes, completed }
      }
      await this.#progress(recording, size, cmd.progress ?? 'throttled')
      return { offset: size, completed: null }
    })
  }

  /** Stops after every accepted byte is stored; again on a completed one returns it unchanged. */
  stop(userId: string, id: string, reason: StopReason = 'client'): Promise<Recording> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      const recording = await this.get(userId, id)
      if (recording.status === 'completed') return recording
      if (recording.status === 'failed') throw new InvalidTransitionError('failed', 'stop')
      return this.#stopLocked(recording, reason)
    })
  }

  /** While uploading: the stored offset; once completed: the recording. Else not completed. */
  async contentState(userId: string, id: string): Promise<ContentState> {
    const recording = await this.get(userId, id)
    if (recording.status === 'completed') return { kind: 'completed', recording }
    if (recording.status === 'recording') {
      return { kind: 'uploading', recording, offset: await this.#d.blobs.size(recording.id) }
    }
    throw new RecordingNotCompletedError(recording.status)
  }

  async content(userId: string, id: string, requested: RequestedRange | null): Promise<Content> {
    const recording = await this.get(userId, id)
    if (recording.status !== 'completed') throw new RecordingNotCompletedError(recording.status)
    // Never past sizeBytes: the checksum covers exactly those bytes, whatever the file holds.
    const whole = recording.sizeBytes > 0 ? { start: 0, end: recording.sizeBytes - 1 } : null
    const range = requested ? resolveRange(requested, recording.sizeBytes) : whole
    return { recording, range: requested ? range : null, body: await this.#d.blobs.read(recording.id, range) }
  }

  delete(userId: string, id: string): Promise<void> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      const { id: key } = await this.get(userId, id)
      await this.#d.repo.delete(key)
      await this.#d.blobs.delete(key)
      this.#lastProgressAt.delete(key)
      this.#attached.delete(key)
      await this.#forget(key)
    })
  }

  /**
   * Applies the idle timeout and the duration limit to recordings nobody streams to, including
   * those left by a crash, and finishes `stopping` ones stuck past `stuckStoppingMs` (a crash
   * between stop and finalize): completed from the stored bytes, or failed when bytes the row
   * counted are gone. Resolves with how many it ended.
   */
  async expire(batch = 100): Promise<number> {
    const now = this.#d.clock.now().getTime()
    const { idleTimeoutMs, maxDurationMs } = this.#d.limits
    const due = await this.#d.repo.findExpired(
      new Date(now - idleTimeoutMs),
      new Date(now - maxDurationMs),
      batch,
    )
    let ended = 0
    for (const candidate of due) {
      const reason: StopReason =
        now - candidate.startedAt.getTime() >= maxDurationMs ? 'limit_duration' : 'idle_timeout'
      try {
        await this.#mutex.run(candidate.id.toLowerCase(), async () => {
          const current = await this.#d.repo.findById(candidate.id)
          if (!current || isTerminal(current.status)) return
          if (current.status === 'stopping') {
            // Another instance may be finalizing it right now; only one stuck past the grace is ours.
            if (now - (current.stoppedAt ?? current.updatedAt).getTime() < this.#d.stuckStoppingMs) return
            await this.#finishStuck(current)
          } else {
            await this.#stopLocked(current, reason)
          }
          ended++
        })
      } catch (error) {
        this.#warn('expire', error, undefined)
      }
    }
    return ended
  }

  async #finishStuck(stopping: Recording): Promise<Recording> {
    if ((await this.#d.blobs.size(stopping.id)) < stopping.sizeBytes) {
      const failed = mustTransition(stopping, { type: 'fail', reason: 'stored media was lost' }, this.#now())
      return this.#save(failed, 'stopping')
    }
    return this.#stopLocked(stopping, stopping.stopReason ?? 'client')
  }

  async #stopLocked(recording: Recording, reason: StopReason): Promise<Recording> {
    let current = recording
    if (current.status === 'recording') {
      const now = this.#now()
      const size = await this.#d.blobs.size(current.id)
      const grown =
        size === current.sizeBytes
          ? current
          : mustTransition(current, { type: 'progress', sizeBytes: size }, now)
      current = await this.#save(mustTransition(grown, { type: 'stop', reason }, now), 'recording')
    }
    this.#lastProgressAt.delete(current.id)
    if (current.status !== 'stopping') return current
    const now = this.#now()
    if (current.sizeBytes === 0 && reason !== 'client') {
      await this.#d.blobs.delete(current.id)
      return this.#save(
        mustTransition(current, { type: 'fail', reason: 'no media was received' }, now),
        'stopping',
      )
    }
    const stored = await this.#d.blobs.finalize(current.id)
    return this.#save(mustTransition(current, { type: 'complete', ...stored }, now), 'stopping')
  }

  /**
   * Saves the stored size and activity: 'now' always, 'throttled' at most once a progress
   * interval, 'if-stale' when the saved size lags or the activity mark is an interval old.
   */
  async #progress(
    recording: Recording,
    size: number,
    mode: 'now' | 'throttled' | 'if-stale',
  ): Promise<Recording> {
    const now = this.#d.clock.now().getTime()
    const interval = this.#d.progressIntervalMs
    if (mode === 'throttled' && now - (this.#lastProgressAt.get(recording.id) ?? 0) < interval) {
      return recording
    }
    if (
      mode === 'if-stale' &&
      size === recording.sizeBytes &&
      now - recording.lastActivityAt.getTime() < interval
    ) {
      return recording
    }
    this.#lastProgressAt.set(recording.id, now)
    return this.#save(
      mustTransition(recording, { type: 'progress', sizeBytes: size }, new Date(now)),
      'recording',
    )
  }

  /**
   * An offset mismatch on a recording that another instance has meanwhile stopped is really "not
   * recording": say that, so the client does not retry at another offset.
   */
  async #explainMismatch(recording: Recording, error: unknown): Promise<unknown> {
    if (!(error instanceof OffsetMismatchError)) return error
    const current = await this.#d.repo.findById(recording.id).catch(() => null)
    return current && current.status !== 'recording' ? new RecordingNotRecordingError(current.status) : error
  }

  async #confirmStillRecording(id: string): Promise<void> {
    const current = await this.#d.repo.findById(id)
    if (current?.status === 'recording') return
    this.#attached.delete(id)
    if (!current) throw new RecordingNotFoundError()
    throw new RecordingNotRecordingError(current.status)
  }

  async #saveProgressAfterFailure(recording: Recording): Promise<void> {
    try {
      await this.#progress(recording, await this.#d.blobs.size(recording.id), 'now')
    } catch (error) {
      this.#warn('progress after a failed append', error, undefined)
    }
  }

  async #save(next: Recording, expected: Recording['status']): Promise<Recording> {
    const saved = await this.#d.repo.update(next, expected)
    if (saved && next.status === 'recording' && this.#attached.has(next.id)) this.#attached.set(next.id, next)
    else this.#attached.delete(next.id)
    if (!saved) {
      const current = await this.#d.repo.findById(next.id)
      if (!current) throw new RecordingNotFoundError()
      throw new RecordingNotRecordingError(current.status)
    }
    await this.#forget(next.id)
    await this.#publish(next)
    return next
  }

  async #forget(id: string): Promise<void> {
    await this.#d.cache.delete(id).catch((error: unknown) => this.#warn('cache delete', error, undefined))
  }

  async #publish(recording: Recording): Promise<void> {
    await this.#d.events
      .publish({ type: 'recording.updated', recording })
      .catch((error: unknown) => this.#warn('event publish', error, undefined))
  }

  #now(): Date {
    return this.#d.clock.now()
  }

  #warn<T>(what: string, error: unknown, fallback: T): T {
    if (error instanceof DomainError && error.code !== 'DEPENDENCY_UNAVAILABLE') throw error
    this.#d.logger.warn(`${what} failed`, { error: error instanceof Error ? error.message : String(error) })
    return fallback
  }
}
