import type { Recording } from './api-types.js'
import { backoffDelay, isFinalClose } from './backoff.js'
import { Emitter } from './emitter.js'
import { RecordError } from './record-error.js'
import type { RecordEvents, RecordState, SessionOptions } from './record-types.js'
import { OPEN, parseMessage, type SocketLike, sendFrames } from './socket.js'
import type { ByteSink, ByteSource } from './sources.js'
import type { Transport } from './transport.js'
import { UnackedBuffer } from './unacked-buffer.js'

const STOP = JSON.stringify({ type: 'stop' })

/**
 * One recording streamed over the WebSocket ingest (SPEC §6): reconnects with backoff on every close
 * but 1000 and 44xx, resumes from `ready`, holds only unacknowledged bytes (at most
 * `maxBufferedBytes`), and ends on 4000 (taken over) without retry.
 */
export class RecordSession extends Emitter<RecordEvents> {
  /** The recording this session writes, once started. */
  readonly recording: Promise<Recording>
  readonly #transport: Transport
  readonly #source: ByteSource
  readonly #options: SessionOptions
  readonly #buffer = new UnackedBuffer()
  readonly #done: Promise<Recording>
  #resolve: (recording: Recording) => void = () => {}
  #reject: (error: Error) => void = () => {}
  #id = ''
  #state: RecordState = 'starting'
  #socket: SocketLike | null = null
  #live = false
  #attempt = 0
  #sent = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #paused = false
  #stopRequested = false
  #sourceEnded = false
  #stopSent = false
  #terminal = false
  #lastError: { code: string; message: string } | null = null
  #wake: (() => void)[] = []
  #frameBytes: number

  constructor(transport: Transport, source: ByteSource, start: Promise<Recording>, options: SessionOptions) {
    super()
    this.#transport = transport
    this.#source = source
    this.#options = options
    this.#frameBytes = options.maxFrameBytes
    this.#done = new Promise<Recording>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    // A session nobody stops must not crash Node with an unhandled rejection; stop() still rejects.
    this.#done.catch(() => {})
    this.recording = start
    start.then(
      (recording) => {
        this.#id = recording.id
        this.#setState(this.#paused ? 'paused' : 'recording')
        try {
          this.#source.start(this.#sink())
        } catch (error) {
          this.#fail(error instanceof Error ? error : new Error(String(error)))
          return
        }
        void this.#connect()
      },
      (error: Error) => this.#fail(error),
    )
  }

  get state(): RecordState {
    return this.#state
  }

  /** Finishes: the source ends, every byte is acked, the recording completes. */
  stop(): Promise<Recording> {
    if (!this.#stopRequested && !this.#terminal) {
      this.#stopRequested = true
      this.#setState('stopping')
      this.#source.finish()
      this.#flushWaiters()
    }
    return this.#done
  }

  pause(): void {
    if (this.#terminal || this.#stopRequested) return
    this.#paused = true
    this.#source.pause()
    this.#setState('paused')
  }

  resume(): void {
    if (!this.#paused || this.#terminal) return
    this.#paused = false
    this.#source.resume()
    this.#setState(this.#attempt > 0 ? 'reconnecting' : 'recording')
    this.#flushWaiters()
  }

  #sink(): ByteSink {
    return {
      accept: (bytes) => this.#accept(bytes),
      ready: () =>
        new Promise<void>((resolve) => {
          const check = () => {
            const full = this.#buffer.size >= this.#options.maxBufferedBytes
            if (this.#terminal || (!this.#paused && !full) || (this.#stopRequested && !full)) resolve()
            else this.#wake.push(check)
          }
          check()
        }),
      end: () => {
        this.#sourceEnded = true
        this.#sendStopIfDue()
      },
      fail: (error) => this.#fail(new RecordError('SOURCE_FAILED', `the source failed: ${error.message}`)),
    }
  }

  #accept(bytes: Uint8Array): void {
    if (this.#terminal || bytes.byteLength === 0) return
    const max = this.#options.maxBufferedBytes
    // A pulled source waited for room (one chunk may cross the bound); a pushing one cannot wait.
    if (!this.#source.pull && this.#buffer.size > 0 && this.#buffer.size + bytes.byteLength > max) {
      const why = 'the connection is too slow or has been down too long'
      this.#fail(new RecordError('BUFFER_FULL', `more than maxBufferedBytes (${max}) unacknowledged: ${why}`))
      return
    }
    const offset = this.#buffer.end
    this.#buffer.push(bytes)
    if (this.#live) this.#send([bytes], offset)
  }

  #send(chunks: Uint8Array[], offset: number): void {
    const socket = this.#socket
    if (!socket || socket.readyState !== OPEN) return
    this.#sent = Math.max(this.#sent, offset + sendFrames(socket, chunks, this.#frameBytes))
    this.#progress()
  }

  #sendStopIfDue(): void {
    if (!this.#live || !this.#stopRequested || !this.#sourceEnded || this.#stopSent) return
    this.#stopSent = true
    this.#socket?.send(STOP)
  }

  async #connect(): Promise<void> {
    if (this.#terminal) return
    let socket: SocketLike
    try {
      socket = await this.#transport.socket(`/recordings/${encodeURIComponent(this.#id)}/stream`)
    } catch (error) {
      if (error instanceof TypeError && /WebSocket/.test(error.message)) this.#fail(error)
      else this.#retry()
      return
    }
    if (this.#terminal) {
      socket.close(1000)
      return
    }
    this.#socket = socket
    this.#live = false
    this.#stopSent = false
    this.#lastError = null
    socket.onmessage = (event) => this.#onMessage(socket, event.data)
    socket.onclose = (event) => this.#onClose(socket, event.code, event.reason)
    socket.onerror = () => {}
  }

  #onMessage(socket: SocketLike, data: unknown): void {
    if (socket !== this.#socket || this.#terminal) return
    const message = parseMessage(data)
    if (!message) return
    const offset = typeof message.offset === 'number' ? message.offset : -1
    if (message.type === 'ready') {
      this.#onReady(offset)
    } else if (message.type === 'ack' && offset >= 0) {
      this.#acked(offset)
    } else if (message.type === 'completed') {
      this.#acked(this.#buffer.end)
      this.#complete(message.recording as Recording)
    } else if (message.type === 'error') {
      this.#lastError = { code: String(message.code), message: String(message.message) }
    }
  }

  #onReady(offset: number): undefined {
    const held = `${this.#buffer.start}–${this.#buffer.end}`
    if (offset < this.#buffer.start || offset > this.#buffer.end) {
      return this.#fail(
        new RecordError('RESUME_MISMATCH', `ready at ${offset}, outside the bytes held ${held}`),
      )
    }
    this.#acked(offset)
    this.#live = true
    this.#attempt = 0
    if (this.#state === 'reconnecting' || this.#state === 'starting') {
      this.#setState(this.#stopRequested ? 'stopping' : this.#paused ? 'paused' : 'recording')
    }
    this.#send(this.#buffer.from(offset), offset)
    this.#sendStopIfDue()
  }

  #onClose(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.#socket || this.#terminal) return
    this.#socket = null
    this.#live = false
    const error = this.#lastError
    if (code === 4000) {
      this.#fail(new RecordError('TAKEN_OVER', 'another stream of this recording took over', code))
    } else if (code === 4409 && this.#stopSent) {
      void this.#settleFromServer(code)
    } else if (isFinalClose(code)) {
      const message = error?.message ?? (reason || `the server closed the stream with ${code}`)
      this.#fail(new RecordError(error?.code ?? `CLOSED_${code}`, message, code))
    } else {
      // 1009: the server's MAX_FRAME_BYTES is below ours; smaller frames, or this would loop forever.
      if (code === 1009) this.#frameBytes = Math.max(1024, Math.floor(this.#frameBytes / 2))
      this.#retry()
    }
  }

  /** A stop sent before a drop may have completed the recording: ask the API before failing. */
  async #settleFromServer(code: number): Promise<void> {
    try {
      const recording = await this.#transport.json<Recording>(`/recordings/${encodeURIComponent(this.#id)}`)
      if (recording.status === 'completed' && recording.sizeBytes === this.#buffer.end) {
        this.#complete(recording)
        return
      }
    } catch {
      // fall through to the failure below
    }
    this.#fail(new RecordError('INVALID_STATE', 'the recording is no longer recording', code))
  }

  #retry(): void {
    if (this.#terminal) return
    this.#attempt += 1
    const delayMs = backoffDelay(this.#attempt, this.#options.backoff)
    this.#setState('reconnecting')
    this.emit('reconnecting', { attempt: this.#attempt, delayMs })
    this.#timer = setTimeout(() => void this.#connect(), delayMs)
  }

  #acked(offset: number): void {
    if (offset <= this.#buffer.start) return
    this.#buffer.release(offset)
    this.#progress()
    this.#flushWaiters()
  }

  #progress(): void {
    this.emit('progress', { sentBytes: this.#sent, ackedBytes: this.#buffer.start })
  }

  #flushWaiters(): void {
    const waiting = this.#wake
    this.#wake = []
    for (const check of waiting) check()
  }

  #finish(): void {
    this.#terminal = true
    clearTimeout(this.#timer)
    this.#flushWaiters()
  }

  #complete(recording: Recording): void {
    this.#finish()
    if (!this.#sourceEnded) this.#source.cancel() // a limit completed it before the source ended
    this.#setState('completed')
    this.emit('completed', recording)
    this.#resolve(recording)
  }

  #fail(error: Error): undefined {
    if (this.#terminal) return
    this.#finish()
    this.#source.cancel()
    const socket = this.#socket
    this.#socket = null
    if (socket && socket.readyState <= OPEN) socket.close(1000)
    this.#setState('failed')
    this.emit('error', error)
    this.#reject(error)
  }

  #setState(state: RecordState): void {
    if (state === this.#state) return
    this.#state = state
    this.emit('state', state)
  }
}
