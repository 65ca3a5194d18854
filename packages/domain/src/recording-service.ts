import { dueOnDelete, NO_AFTER_COMPLETION } from './after-completion/due-task.js'
import { type ContentVariant, servedBlob } from './content-variant.js'
import {
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  OffsetMismatchError,
  RecordingNotCompletedError,
  RecordingNotFoundError,
  RecordingNotRecordingError,
  UploadGoneError,
  UploadLengthConflictError,
  UploadTooLargeError,
  WriterFencedError,
} from './errors.js'
import { expireDue } from './expire-due.js'
import { KeyedMutex } from './keyed-mutex.js'
import { ListPages } from './list-pages.js'
import { listCached, NO_TOTALS } from './list-with-totals.js'
import { newRecording, startFingerprint } from './new-recording.js'
import type { ListQuery, RecordingPage } from './ports/recording-repo.js'
import type { WriterLease } from './ports/writer-lease.js'
import type { Recording, StopReason } from './recording.js'
import { toRecordingId } from './recording-id.js'
import type {
  AppendCommand,
  AppendResult,
  Content,
  ContentState,
  RecordingLimits,
  RecordingServiceDeps,
  RequestedRange,
  StartCommand,
  UploadState,
} from './recording-service-types.js'
import { RecordingWriter } from './recording-writer.js'
import { resolveRange } from './resolve-range.js'
import { stopRecording } from './stop-recording.js'
import { takeBytes } from './take-bytes.js'
import { isIdleExpired, UPLOAD_EXPIRES_SLACK_MS, uploadExpiresAt } from './upload-expiry.js'

/** Every use case of a recording; other services embed this with their own adapters. */
export class RecordingService {
  readonly #d: Required<RecordingServiceDeps>
  readonly #mutex = new KeyedMutex()
  readonly #w: RecordingWriter
  readonly #list: Parameters<typeof listCached>[0]

  constructor(deps: RecordingServiceDeps) {
    this.#d = {
      progressIntervalMs: 1000,
      progressSavesPerSecond: 500,
      cacheTtlSeconds: 60,
      idempotencyTtlMs: 24 * 3600 * 1000,
      stuckStoppingMs: 60_000,
      topology: 'single',
      totals: NO_TOTALS,
      listVersions: null,
      lease: null,
      handoff: null,
      afterCompletion: NO_AFTER_COMPLETION,
      ...deps,
    }
    const pages = new ListPages()
    this.#w = new RecordingWriter({ ...this.#d, pages })
    const { repo, totals, cacheTtlSeconds, listVersions, clock } = this.#d
    this.#list = { repo, totals, cacheTtlSeconds, versions: listVersions, pages, clock }
  }

  get limits(): RecordingLimits {
    return this.#d.limits
  }

  async start(cmd: StartCommand): Promise<{ recording: Recording; replayed: boolean }> {
    const now = this.#d.clock.now()
    const length = cmd.uploadLength ?? null
    if (length !== null && length > this.#d.limits.maxBytes) {
      throw new UploadTooLargeError(length, this.#d.limits.maxBytes)
    }
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
    await Promise.all([this.#w.forgetTotals(recording.userId), this.#w.forgetPages(recording.userId)])
    await this.#w.publish(recording)
    // An upload of nothing is complete the moment it exists.
    if (length === 0) return { recording: await this.stop(cmd.userId, recording.id), replayed: false }
    return { recording, replayed: false }
  }

  /** The recording if it exists and belongs to `userId`; another user's is not found. */
  async get(userId: string, id: string): Promise<Recording> {
    const recording = await this.#d.repo.findById(toRecordingId(id))
    if (!recording || recording.userId !== userId) throw new RecordingNotFoundError()
    return recording
  }

  /** Like `get`, served from the cache when it can be. */
  async status(userId: string, id: string): Promise<Recording> {
    const key = toRecordingId(id)
    const cached = await this.#d.cache
      .get(key)
      .catch((error: unknown) => this.#w.warn('cache get', error, null))
    if (cached) {
      if (cached.userId !== userId) throw new RecordingNotFoundError()
      return cached
    }
    const recording = await this.get(userId, key)
    await this.#d.cache
      .set(recording, this.#d.cacheTtlSeconds)
      .catch((error: unknown) => this.#w.warn('cache set', error, undefined))
    return recording
  }

  /**
   * A page of the user's recordings: held in this process while no write of the user's rows moved
   * their list version; the total comes from the totals cache while no write changed it.
   */
  list(query: ListQuery): Promise<RecordingPage> {
    return listCached(this.#list, query, (what, error) => this.#w.warn(what, error, undefined))
  }

  /**
   * Attaches a stream: the offset to resume from, after every pending write of an earlier one. With
   * a WriterLease it takes the lease first, so no earlier writer on any instance can append past
   * the offset it returns, and returns the fencing token its appends carry.
   */
  attach(
    userId: string,
    id: string,
  ): Promise<{ recording: Recording; offset: number; fence: number | null }> {
    const key = toRecordingId(id)
    return this.#mutex.run(key, async () => {
      const recording = await this.get(userId, key)
      if (recording.status !== 'recording') throw new RecordingNotRecordingError(recording.status)
      const fence = this.#d.lease ? await this.#takeOver(recording.id, this.#d.lease) : null
      const offset = await (this.#d.blobs.prepare?.(recording.id) ?? this.#d.blobs.size(recording.id))
      this.#w.attach(await this.#w.progress(recording, offset, 'now'))
      return { recording, offset, fence }
    })
  }

  /**
   * Saves a lagging size and marks the recording active, so the idle timeout spares an attached
   * stream; streams call it an interval after their last append and on each keepalive.
   */
  async touch(userId: string, id: string): Promise<void> {
    const key = toRecordingId(id)
    return this.#mutex.run(key, async () => {
      // A single instance knows its attached streams' rows and sizes: no read, no stat, and no
      // write unless the saved size lags (at 2,000 streams, touches that read both cost more than
      // the appends, bench/NOTES.md). Several instances may share a blob, so they look.
      const attached = this.#w.attached(key)
      const stored = this.#w.stored(key)
      if (this.#d.topology === 'single' && attached?.userId === userId && stored !== undefined) {
        await this.#w.progress(attached, stored, 'if-stale')
        return
      }
      const recording = await this.get(userId, key)
      if (recording.status === 'recording') {
        await this.#w.progress(recording, await this.#d.blobs.size(recording.id), 'if-stale')
      }
    })
  }

  /**
   * Appends media (both ingest paths); limits complete the recording and drop the excess. The
   * throttled progress save of a stream runs behind the append, not before its ack: the ack
   * means the bytes are stored (SPEC §6), and the row's size is a report of them that the next
   * save, `touch` or `stop` brings current (at 2,000 streams an ack waiting on an UPDATE every
   * fourth frame made the ack p99, bench/NOTES.md).
   */
  append(cmd: AppendCommand): Promise<AppendResult> {
    let key: string
    try {
      key = toRecordingId(cmd.id)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.#mutex.run(key, () => this.#appendLocked(cmd))
  }

  async #appendLocked(cmd: AppendCommand): Promise<AppendResult> {
    const key = toRecordingId(cmd.id)
    this.#w.throwIfUnsaved(key)
    const attached = this.#w.attached(key)
    const recording = attached?.userId === cmd.userId ? attached : await this.get(cmd.userId, key)
    if (recording.status !== 'recording') throw new RecordingNotRecordingError(recording.status)
    const { maxBytes, maxDurationMs, idleTimeoutMs } = this.#d.limits
    const now = this.#d.clock.now()
    if (recording.uploadLength !== null && isIdleExpired(recording, now, idleTimeoutMs)) {
      throw await this.#expireUpload(recording)
    }
    if (now.getTime() - recording.startedAt.getTime() >= maxDurationMs) {
      const completed = await this.#stopLocked(recording, 'limit_duration')
      return { offset: completed.sizeBytes, completed }
    }
    const end = Math.min(maxBytes, recording.uploadLength ?? maxBytes)
    const limited = takeBytes(cmd.body, Math.max(0, end - cmd.offset))
    const fence = cmd.fence === 'take' && this.#d.lease ? await this.#d.lease.take(recording.id) : cmd.fence
    let size: number
    try {
      size =
        this.#d.lease && typeof fence === 'number'
          ? await this.#d.blobs.append(recording.id, cmd.offset, limited.body, fence)
          : await this.#d.blobs.append(recording.id, cmd.offset, limited.body)
    } catch (error) {
      // Part of the body may be stored: the size must be looked up again.
      this.#w.sizeUnknown(recording.id)
      // A fenced writer leaves the progress to the one that took over.
      if (!(error instanceof OffsetMismatchError) && !(error instanceof WriterFencedError)) {
        await this.#saveProgressAfterFailure(recording)
      }
      throw await this.#w.explainMismatch(recording, error)
    }
    // On a single instance every change of the row goes through this writer, so an upload's row
    // is kept between its requests as a stream's is: a PATCH then reads no row (bench/NOTES.md).
    if (!attached && this.#d.topology === 'single') this.#w.keep(recording)
    this.#w.appended(recording.id, size)
    if (this.#d.topology === 'shared') await this.#w.confirmStillRecording(recording.id)
    if (recording.uploadLength !== null && size >= recording.uploadLength) {
      // The announced length is reached: the upload is done (SPEC §9), as if the client stopped.
      const completed = await this.#stopLocked(recording, 'client')
      return { offset: completed.sizeBytes, completed }
    }
    if (size >= maxBytes || limited.truncated()) {
      const completed = await this.#stopLocked(recording, 'limit_size')
      return { offset: completed.sizeBytes, completed }
    }
    const saved = this.#mustSaveNow(cmd, recording)
      ? await this.#w.progress(recording, size, 'now')
      : this.#w.progressBehind(recording, size)
    // Streams and §5 PATCHes (throttled) have no use for the upload's state: no object per frame.
    if (cmd.progress === undefined || cmd.progress === 'throttled') return { offset: size, completed: null }
    const upload = {
      kind: 'uploading',
      recording: saved,
      offset: size,
      expiresAt: uploadExpiresAt(saved, idleTimeoutMs),
    } as const
    return { offset: size, completed: null, upload }
  }

  /**
   * 'upload' answers Upload-Expires from the row as last saved, which is early (the janitor goes by
   * the same row, never later): within UPLOAD_EXPIRES_SLACK_MS while PATCHes keep coming, since a
   * save runs behind them once a progress interval; after a longer pause this append saves first.
   */
  #mustSaveNow(cmd: AppendCommand, recording: Recording): boolean {
    if (cmd.progress === 'now') return true
    if (cmd.progress !== 'upload') return false
    return this.#d.clock.now().getTime() - recording.lastActivityAt.getTime() > UPLOAD_EXPIRES_SLACK_MS
  }

  /** Stops after every accepted byte is stored; again on a completed one returns it unchanged. */
  async stop(userId: string, id: string, reason: StopReason = 'client'): Promise<Recording> {
    const key = toRecordingId(id)
    return this.#mutex.run(key, async () => {
      const recording = await this.get(userId, key)
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

  /**
   * A resumable upload's state. One whose idle timeout has passed is ended here, as the janitor
   * would: an upload that can no longer complete rejects with UploadGoneError, as does a failed one.
   */
  uploadState(userId: string, id: string): Promise<UploadState> {
    // Under the lock: an append still draining (a request the client gave up on) finishes first,
    // so the offset answered is the one the next append will be checked against.
    const key = toRecordingId(id)
    return this.#mutex.run(key, async () => {
      const recording = this.#keptUpload(userId, key) ?? (await this.get(userId, key))
      const { idleTimeoutMs } = this.#d.limits
      if (isIdleExpired(recording, this.#d.clock.now(), idleTimeoutMs)) {
        const ended = await this.#stopLocked(recording, 'idle_timeout')
        if (ended.status === 'completed') return { kind: 'completed', recording: ended }
        throw new UploadGoneError(ended.failureReason ?? `the upload is ${ended.status}`)
      }
      if (recording.status === 'completed') return { kind: 'completed', recording }
      if (recording.status === 'failed') throw new UploadGoneError(recording.failureReason ?? 'failed')
      const offset = this.#keptSize(recording) ?? (await this.#d.blobs.size(recording.id))
      return { kind: 'uploading', recording, offset, expiresAt: uploadExpiresAt(recording, idleTimeoutMs) }
    })
  }

  /**
   * Sets the length of an upload created without one (tus creation-defer-length), once; the same
   * length again is accepted. Completes it at once when the stored bytes already reach it.
   */
  declareLength(userId: string, id: string, length: number): Promise<Recording> {
    return this.#mutex.run(toRecordingId(id), async () => {
      const recording = await this.get(userId, id)
      if (recording.status !== 'recording') throw new RecordingNotRecordingError(recording.status)
      if (recording.uploadLength === length) return recording
      if (recording.uploadLength !== null) {
        throw new UploadLengthConflictError(`the upload length is already ${recording.uploadLength}`)
      }
      if (length > this.#d.limits.maxBytes) throw new UploadTooLargeError(length, this.#d.limits.maxBytes)
      const size = await this.#d.blobs.size(recording.id)
      if (length < size) throw new UploadLengthConflictError(`${size} bytes are stored already`)
      const now = this.#d.clock.now()
      const next = await this.#w.save({ ...recording, uploadLength: length, updatedAt: now }, 'recording')
      return size >= length ? this.#stopLocked(next, 'client') : next
    })
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

  async delete(userId: string, id: string): Promise<void> {
    const key = toRecordingId(id)
    return this.#mutex.run(key, async () => {
      const recording = await this.get(userId, key)
      const stored = recording.id
      await this.#d.repo.delete(stored, dueOnDelete(recording, this.#w.dueContext()))
      await Promise.all([this.#w.forgetTotals(userId), this.#w.forgetPages(userId)])
      await this.#d.blobs.delete(stored)
      if (recording.seekable) await this.#d.blobs.delete(recording.seekable.key)
      this.#w.forgetLocal(stored)
      await this.#w.forgetCached(stored)
    })
  }

  /**
   * Applies the idle timeout and the duration limit to recordings nobody streams to, including
   * those left by a crash, and finishes `stopping` ones stuck past `stuckStoppingMs` (a crash
   * between stop and finalize): completed from the stored bytes, or failed when bytes the row
   * counted are gone. Resolves with how many it ended.
   */
  expire(batch = 100): Promise<number> {
    return expireDue({ ...this.#d, mutex: this.#mutex, writer: this.#w }, batch)
  }

  #stopLocked(recording: Recording, reason: StopReason): Promise<Recording> {
    return stopRecording({ blobs: this.#d.blobs, clock: this.#d.clock, writer: this.#w }, recording, reason)
  }

  /**
   * The row an upload's earlier append kept here, on a single instance, where every change of it
   * goes through this service: a tus PATCH's offset check then reads no row (bench/NOTES.md).
   * Elsewhere, or after a restart, null: the row is read.
   */
  #keptUpload(userId: string, id: string): Recording | null {
    if (this.#d.topology !== 'single') return null
    const kept = this.#w.attached(id)
    return kept?.userId === userId ? kept : null
  }

  /** The blob's size as the last append here left it, for a kept row; null when unknown. */
  #keptSize(recording: Recording): number | null {
    if (this.#d.topology !== 'single' || this.#w.attached(recording.id) !== recording) return null
    return this.#w.stored(recording.id) ?? null
  }

  /** Ends an upload whose idle timeout passed (as the janitor would) and says why it is gone. */
  async #expireUpload(recording: Recording): Promise<UploadGoneError> {
    const ended = await this.#stopLocked(recording, 'idle_timeout')
    return new UploadGoneError(ended.failureReason ?? `the upload is ${ended.status}`)
  }

  /**
   * Takes the lease for a new stream. First the stream holding it on another instance is asked to
   * store what it queued and close (its token still valid), so the offset read next covers every
   * byte it acked; one that does not answer in time is refused by the token instead.
   */
  async #takeOver(id: string, lease: WriterLease): Promise<number> {
    const outcome = this.#d.handoff ? await this.#d.handoff.release(id) : 'none'
    if (outcome === 'timed-out' || outcome === 'unavailable') {
      this.#d.logger.warn('writer handoff got no answer: the lease is taken anyway', {
        recordingId: id,
        outcome,
      })
    }
    return lease.take(id)
  }

  async #saveProgressAfterFailure(recording: Recording): Promise<void> {
    try {
      await this.#w.progress(recording, await this.#d.blobs.size(recording.id), 'now')
    } catch (error) {
      this.#w.warn('progress after a failed append', error, undefined)
    }
  }
}
