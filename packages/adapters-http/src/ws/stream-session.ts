import { type Recording, RecordingNotRecordingError, type RecordingService } from '@rec/domain'
import { AckPacer } from './ack-pacer.js'
import { CLOSE, streamFailure } from './close-codes.js'
import type { FramePool } from './frame-pool.js'
import type { AttachedStream, StreamRegistry } from './stream-registry.js'
import type { StreamSocket } from './stream-socket.js'

export interface StreamSessionOptions {
  readonly service: RecordingService
  readonly registry: StreamRegistry
  readonly socket: StreamSocket
  readonly recordingId: string
  readonly userId: string
  readonly present: (recording: Recording) => unknown
  /** Queued bytes above which the socket stops being read; with the batch being stored, at most twice this is held. */
  readonly highWaterBytes: number
  /** Shortest gap between two acks; acks never wait longer than this once bytes are stored. */
  readonly ackGapMs: number
  /** How long after an append the stored size is saved if no later append saved it. */
  readonly flushMs: number
  readonly onStored?: (bytes: number) => void
  readonly onAck?: () => void
  readonly onError?: (error: unknown) => void
  /** Where frames are copied as they arrive (see FramePool); none: kept as `ws` delivered them. */
  readonly frames?: FramePool
}

type State = 'opening' | 'open' | 'stopping' | 'detaching' | 'ended'

/**
 * One WebSocket ingest stream (SPEC §6): frames are queued, appended in batches through the
 * domain's append use case, and acked once stored. Bytes received before the socket dropped are
 * still stored; the next stream's `ready` offset includes them.
 */
export class StreamSession implements AttachedStream {
  readonly #o: StreamSessionOptions
  #state: State = 'opening'
  #queue: Uint8Array[] = []
  #queuedBytes = 0
  #paused = false
  #offset = 0
  /** The writer lease token `attach` returned; appends carry it (SPEC §12). */
  #fence: number | null = null
  readonly #acks: AckPacer
  #limitTimer: ReturnType<typeof setTimeout> | null = null
  #flushTimer: ReturnType<typeof setTimeout> | null = null
  #lastAppendAt = 0
  #pump: Promise<void> | null = null
  /** A control message that came before `ready`: handled once the frames before it are queued for storing. */
  #heldText: string | null = null

  constructor(options: StreamSessionOptions) {
    this.#o = options
    this.#acks = new AckPacer((offset) => {
      this.#o.socket.send(`{"type":"ack","offset":${offset}}`)
      this.#o.onAck?.()
    }, options.ackGapMs)
  }

  /**
   * Takes the recording over from any earlier stream, then announces the stored offset. Only a
   * stream of the owner, on a recording still `recording`, may take over (SPEC §6.5): the check
   * comes before the claim, so a refused stream never touches the live one. The offset is read
   * after the claim, once the earlier stream's pending writes are stored.
   */
  async open(): Promise<void> {
    const { service, registry, recordingId, userId } = this.#o
    try {
      const { status } = await service.get(userId, recordingId)
      if (status !== 'recording') throw new RecordingNotRecordingError(status)
      if (this.#state !== 'opening') return
      await registry.claim(recordingId, this)
      const { recording, offset, fence } = await service.attach(userId, recordingId)
      if (this.#state !== 'opening') return
      this.#fence = fence
      this.#offset = offset
      this.#acks.start(offset)
      this.#state = 'open'
      this.#o.socket.send(JSON.stringify({ type: 'ready', offset }))
      this.#armDurationLimit(recording)
      this.#kick()
      if (this.#heldText !== null) this.onText(this.#heldText)
    } catch (error) {
      this.#fail(error)
    }
  }

  /** Media bytes; before `ready` they are queued and stored from the ready offset (SPEC §6.6). */
  onBinary(chunk: Uint8Array): void {
    if (this.#state !== 'opening' && this.#state !== 'open') return
    // After a control message, as after a `stop` once open, further frames are not media.
    if (this.#heldText !== null) return
    this.#queue.push(this.#o.frames ? this.#o.frames.copy(chunk) : chunk)
    this.#queuedBytes += chunk.byteLength
    if (this.#queuedBytes >= this.#o.highWaterBytes && !this.#paused) {
      this.#paused = true
      this.#o.socket.pause()
    }
    if (this.#state === 'open') this.#kick()
  }

  /** A control message; one that comes before `ready` waits for it, behind the frames sent before it. */
  onText(text: string): void {
    if (this.#state === 'opening') {
      this.#heldText ??= text
      return
    }
    if (this.#state !== 'open') return
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      this.#reject('message is not valid JSON')
      return
    }
    const type =
      typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined
    if (type !== 'stop') {
      this.#reject('the only control message a client sends is {"type":"stop"}')
      return
    }
    void this.#stop('client')
  }

  /** The socket closed (client went away or we closed it): keep storing what was received. */
  onClosed(): void {
    // Frames that came before `ready` have no known offset: nothing of them was acked.
    if (this.#state === 'opening') this.#dropQueue()
    if (this.#state === 'opening' || this.#state === 'open') this.#state = 'ended'
    this.#clearTimers()
    this.#kick()
    // Held in the registry until what was received is stored: a stream that takes over meanwhile
    // waits for it (`claim` → `detach`), so its `ready` offset includes those bytes. Released at
    // once, a quick reconnect was told an offset the last writes then moved (OFFSET_MISMATCH).
    void this.#drain()
      .then(() => this.#flush())
      .catch(() => {})
      .finally(() => this.#o.registry.release(this.#o.recordingId, this))
  }

  async detach(code: number, reason: string): Promise<void> {
    if (this.#state === 'ended') return this.#drain()
    this.#state = 'detaching'
    this.#clearTimers()
    await this.#drain()
    this.#acks.flush(this.#offset)
    this.#o.socket.close(code, reason)
    this.#state = 'ended'
  }

  #kick(): void {
    if (this.#pump || this.#queue.length === 0) return
    if (this.#state === 'opening') return
    this.#pump = this.#runPump().finally(() => {
      this.#pump = null
      if (this.#queue.length > 0) this.#kick()
    })
  }

  /** Frames that will not be stored (never handed to the store): their slab space is free. */
  #dropQueue(): void {
    this.#o.frames?.release(this.#queue)
    this.#queue = []
    this.#queuedBytes = 0
  }

  async #drain(): Promise<void> {
    while (this.#pump) await this.#pump
  }

  async #runPump(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue
      this.#queue = []
      this.#queuedBytes = 0
      // Read the next batch while this one is stored, rather than leaving the socket paused for a
      // whole append; the queue and the batch in flight are each bounded by highWaterBytes.
      this.#resumeIfDrained()
      try {
        const result = await this.#o.service.append({
          userId: this.#o.userId,
          id: this.#o.recordingId,
          offset: this.#offset,
          // The frames as they arrived: the blob store writes them in one vectored write.
          body: batch,
          fence: this.#fence,
        })
        this.#o.onStored?.(result.offset - this.#offset)
        this.#offset = result.offset
        if (result.completed) return this.#completed(result.completed)
      } catch (error) {
        this.#dropQueue()
        return this.#fail(error)
      } finally {
        // Settled, stored or not: a BlobStore keeps none of an array body's memory after that.
        this.#o.frames?.release(batch)
        this.#resumeIfDrained()
      }
      this.#acks.stored(this.#offset)
      this.#armFlush()
    }
  }

  /**
   * Saves the size once appends have paused for flushMs. While they flow the append's own
   * throttled progress keeps the row current; a timer that also fired every flushMs during the
   * flow cost a read and a write per stream per second (bench/RESULTS.md).
   */
  #armFlush(): void {
    this.#lastAppendAt = Date.now()
    if (!this.#flushTimer) this.#flushAfterQuiet(this.#o.flushMs)
  }

  #flushAfterQuiet(wait: number): void {
    this.#flushTimer = setTimeout(() => {
      const quiet = Date.now() - this.#lastAppendAt
      if (quiet < this.#o.flushMs) return this.#flushAfterQuiet(this.#o.flushMs - quiet)
      this.#flushTimer = null
      void this.#flush()
    }, wait)
    this.#flushTimer.unref?.()
  }

  async #flush(): Promise<void> {
    await this.#o.service.touch(this.#o.userId, this.#o.recordingId).catch(() => {})
  }

  #resumeIfDrained(): void {
    if (this.#paused && this.#queuedBytes < this.#o.highWaterBytes / 2) {
      this.#paused = false
      this.#o.socket.resume()
    }
  }

  async #stop(reason: 'client' | 'limit_duration'): Promise<void> {
    if (this.#state !== 'open' && this.#state !== 'opening') return
    this.#state = 'stopping'
    this.#clearTimers()
    try {
      await this.#drain()
      if (this.#state !== 'stopping') return
      this.#completed(await this.#o.service.stop(this.#o.userId, this.#o.recordingId, reason))
    } catch (error) {
      this.#fail(error)
    }
  }

  #completed(recording: Recording): void {
    if (this.#state === 'ended') return
    this.#state = 'ended'
    this.#dropQueue()
    this.#clearTimers()
    this.#offset = recording.sizeBytes
    this.#acks.flush(this.#offset)
    this.#o.socket.send(JSON.stringify({ type: 'completed', recording: this.#o.present(recording) }))
    this.#o.socket.close(CLOSE.normal, 'completed')
  }

  #armDurationLimit(recording: Recording): void {
    const left = recording.startedAt.getTime() + this.#o.service.limits.maxDurationMs - Date.now()
    // Past 2^31-1 ms setTimeout fires at once; longer limits are left to the append check.
    if (left > 2 ** 31 - 1) return
    this.#limitTimer = setTimeout(() => void this.#stop('limit_duration'), Math.max(0, left))
    this.#limitTimer.unref?.()
  }

  #reject(message: string): void {
    this.#end(CLOSE.badMessage, 'BAD_MESSAGE', message)
  }

  #fail(error: unknown): void {
    const failure = streamFailure(error)
    if (failure.close === CLOSE.internal || failure.close === CLOSE.tryAgainLater) this.#o.onError?.(error)
    this.#end(failure.close, failure.code, failure.message)
  }

  #end(close: number, code: string, message: string): void {
    if (this.#state === 'ended') return
    this.#state = 'ended'
    this.#clearTimers()
    this.#acks.flush(this.#offset)
    this.#o.socket.send(JSON.stringify({ type: 'error', code, message }))
    this.#o.socket.close(close, code)
  }

  #clearTimers(): void {
    this.#acks.cancel()
    if (this.#limitTimer) clearTimeout(this.#limitTimer)
    if (this.#flushTimer) clearTimeout(this.#flushTimer)
    this.#flushTimer = null
    this.#limitTimer = null
  }
}
