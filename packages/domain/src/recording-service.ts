import { dueOnDelete, NO_AFTER_COMPLETION } from './after-completion/due-task.js'
import { type ContentVariant, servedBlob } from './content-variant.js'
import {
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  OffsetMismatchError,
  RecordingNotCompletedError,
  RecordingNotFoundError,
  RecordingNotRecordingError,
} from './errors.js'
import { KeyedMutex } from './keyed-mutex.js'
import { listWithTotals, NO_TOTALS } from './list-with-totals.js'
import { mustTransition } from './must-transition.js'
import { newRecording, startFingerprint } from './new-recording.js'
import type { ListQuery, RecordingPage } from './ports/recording-repo.js'
import { isTerminal, type Recording, type StopReason } from './recording.js'
import type {
  AppendCommand,
  AppendResult,
  Content,
  ContentState,
  RecordingLimits,
  RecordingServiceDeps,
  RequestedRange,
  StartCommand,
} from './recording-service-types.js'
import { RecordingWriter } from './recording-writer.js'
import { resolveRange } from './resolve-range.js'
import { takeBytes } from './take-bytes.js'

/** Every use case of a recording; other services embed this with their own adapters. */
export class RecordingService {
  readonly #d: Required<RecordingServiceDeps>
  readonly #mutex = new KeyedMutex()
  readonly #w: RecordingWriter

  constructor(deps: RecordingServiceDeps) {
    this.#d = {
      progressIntervalMs: 1000,
      cacheTtlSeconds: 60,
      idempotencyTtlMs: 24 * 3600 * 1000,
      stuckStoppingMs: 60_000,
      verifyAfterWrite: false,
      totals: NO_TOTALS,
      afterCompletion: NO_AFTER_COMPLETION,
      ...deps,
    }
    this.#w = new RecordingWriter(this.#d)
  }

  get limits(): RecordingLimits {
    return this.#d.limits
  }

  async start(cmd: StartCommand): Promise<{ recording: Recording; replayed: boolean }> {
    const now = this.#d.clock.now()
    const recording = newRecording({ ...cmd, id: this.#d.ids.newId(), now })
    const fingerprint = startFingerprint(recording)
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
    await this.#w.forgetTotals(recording.userId)
    await this.#w.publish(recording)
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
    const cached = await this.#d.cache
      .get(id)
      .catch((error: unknown) => this.#w.warn('cache get', error, null))
    if (cached) {
      if (cached.userId !== userId) throw new RecordingNotFoundError()
      return cached
    }
    const recording = await this.get(userId, id)
    await this.#d.cache
      .set(recording, this.#d.cacheTtlSeconds)
      .catch((error: unknown) => this.#w.warn('cache set', error, undefined))
    return recording
  }

  /** A page of the user's recordings; the total comes from the totals cache while no write changed it. */
  list(query: ListQuery): Promise<RecordingPage> {
    return listWithTotals(this.#d, query, (what, error) => this.#w.warn(what, error, undefined))
  }

  /** Attaches a stream: the offset to resume from, after every pending write of an earlier one. */
  attach(userId: string, id: string): Promise<{ recording: Recording; offset: number }> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      const recording = await this.get(userId, id)
      if (recording.status !== 'recording') throw new RecordingNotRecordingError(recording.status)
      const offset = await this.#d.blobs.size(recording.id)
      this.#w.attach(await this.#w.progress(recording, offset, 'now'))
      return { recording, offset }
    })
  }

  /**
   * Saves a lagging size and marks the recording active, so the idle timeout spares an attached
   * stream; streams call it an interval after their last append and on each keepalive.
   */
  touch(userId: string, id: string): Promise<void> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      // A single instance knows its attached streams' rows and sizes: no read, no stat, and no
      // write unless the saved size lags (at 2,000 streams, touches that read both cost more than
      // the appends, bench/NOTES.md). Several instances may share a blob, so they look.
      const attached = this.#w.attached(id.toLowerCase())
      const stored = this.#w.stored(id.toLowerCase())
      if (!this.#d.verifyAfterWrite && attached?.userId === userId && stored !== undefined) {
        await this.#w.progress(attached, stored, 'if-stale')
        return
      }
      const recording = await this.get(userId, id)
      if (recording.status === 'recording') {
        await this.#w.progress(recording, await this.#d.blobs.size(recording.id), 'if-stale')
      }
    })
  }

  /** Appends media (both ingest paths); limits complete the recording and drop the excess. */
  append(cmd: AppendCommand): Promise<AppendResult> {
    return this.#mutex.run(cmd.id.toLowerCase(), async () => {
      const attached = this.#w.attached(cmd.id.toLowerCase())
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
        // Part of the body may be stored: the size must be looked up again.
        this.#w.sizeUnknown(recording.id)
        if (!(error instanceof OffsetMismatchError)) await this.#saveProgressAfterFailure(recording)
        throw await this.#w.explainMismatch(recording, error)
      }
      this.#w.appended(recording.id, size)
      if (this.#d.verifyAfterWrite) await this.#w.confirmStillRecording(recording.id)
      if (size >= maxBytes || limited.truncated()) {
        const completed = await this.#stopLocked(recording, 'limit_size')
        return { offset: completed.sizeBytes, completed }
      }
      await this.#w.progress(recording, size, cmd.progress ?? 'throttled')
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

  async content(
    userId: string,
    id: string,
    requested: RequestedRange | null,
    variant: ContentVariant = 'original',
  ): Promise<Content> {
    const recording = await this.get(userId, id)
    if (recording.status !== 'completed') throw new RecordingNotCompletedError(recording.status)
    const served = servedBlob(recording, variant)
    // Never past sizeBytes: the checksum covers exactly those bytes, whatever the file holds.
    const whole = served.sizeBytes > 0 ? { start: 0, end: served.sizeBytes - 1 } : null
    const range = requested ? resolveRange(requested, served.sizeBytes) : whole
    const body = await this.#d.blobs.read(served.key, range)
    return { recording, served, range: requested ? range : null, body }
  }

  delete(userId: string, id: string): Promise<void> {
    return this.#mutex.run(id.toLowerCase(), async () => {
      const recording = await this.get(userId, id)
      const key = recording.id
      await this.#d.repo.delete(key, dueOnDelete(recording, this.#w.dueContext()))
      await this.#w.forgetTotals(userId)
      await this.#d.blobs.delete(key)
      if (recording.seekable) await this.#d.blobs.delete(recording.seekable.key)
      this.#w.forgetLocal(key)
      await this.#w.forgetCached(key)
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
        this.#w.warn('expire', error, undefined)
      }
    }
    return ended
  }

  async #finishStuck(stopping: Recording): Promise<Recording> {
    if ((await this.#d.blobs.size(stopping.id)) < stopping.sizeBytes) {
      const failed = mustTransition(
        stopping,
        { type: 'fail', reason: 'stored media was lost' },
        this.#d.clock.now(),
      )
      return this.#w.save(failed, 'stopping')
    }
    return this.#stopLocked(stopping, stopping.stopReason ?? 'client')
  }

  /** recording → stopping (with the stored size) → completed, or failed when auto-stopped empty. */
  async #stopLocked(recording: Recording, reason: StopReason): Promise<Recording> {
    let current = recording
    if (current.status === 'recording') {
      const now = this.#d.clock.now()
      const size = await this.#d.blobs.size(current.id)
      const grown =
        size === current.sizeBytes
          ? current
          : mustTransition(current, { type: 'progress', sizeBytes: size }, now)
      current = await this.#w.save(mustTransition(grown, { type: 'stop', reason }, now), 'recording')
    }
    this.#w.forgetLocal(current.id)
    if (current.status !== 'stopping') return current
    const now = this.#d.clock.now()
    if (current.sizeBytes === 0 && reason !== 'client') {
      await this.#d.blobs.delete(current.id)
      const failed = mustTransition(current, { type: 'fail', reason: 'no media was received' }, now)
      return this.#w.save(failed, 'stopping')
    }
    const stored = await this.#d.blobs.finalize(current.id)
    return this.#w.save(mustTransition(current, { type: 'complete', ...stored }, now), 'stopping')
  }

  async #saveProgressAfterFailure(recording: Recording): Promise<void> {
    try {
      await this.#w.progress(recording, await this.#d.blobs.size(recording.id), 'now')
    } catch (error) {
      this.#w.warn('progress after a failed append', error, undefined)
    }
  }
}
