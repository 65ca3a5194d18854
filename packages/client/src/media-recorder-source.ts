import type { ByteSink, ByteSource, MediaStreamLike } from './sources.js'

interface RecorderLike {
  readonly state: string
  readonly mimeType: string
  ondataavailable: ((event: { data: Blob }) => void) | null
  onstop: (() => void) | null
  onerror: ((event: unknown) => void) | null
  start(timeslice?: number): void
  stop(): void
  pause(): void
  resume(): void
}

interface RecorderClass {
  new (stream: MediaStreamLike, options?: { mimeType?: string }): RecorderLike
  isTypeSupported(type: string): boolean
}

const MIME_BY_FORMAT: Record<string, readonly string[]> = {
  webm: ['video/webm;codecs=vp8,opus', 'video/webm', 'audio/webm;codecs=opus', 'audio/webm'],
  mp4: ['video/mp4', 'audio/mp4'],
  ogg: ['audio/ogg;codecs=opus', 'audio/ogg'],
}

/**
 * A browser MediaStream through MediaRecorder: a chunk every `timesliceMs`, delivered in order
 * (each Blob is read before the next). MediaRecorder cannot be slowed down, so a sink that is full
 * fails the session rather than grow (see `maxBufferedBytes`).
 */
export class MediaRecorderSource implements ByteSource {
  readonly pull = false
  readonly #stream: MediaStreamLike
  readonly #timesliceMs: number
  readonly #mimeType: string | undefined
  #recorder: RecorderLike | null = null
  #chain: Promise<void> = Promise.resolve()

  constructor(stream: MediaStreamLike, options: { timesliceMs: number; format: string; mimeType?: string }) {
    this.#stream = stream
    this.#timesliceMs = options.timesliceMs
    const Recorder = (globalThis as unknown as { MediaRecorder?: RecorderClass }).MediaRecorder
    const hasVideo = stream.getVideoTracks().length > 0
    this.#mimeType =
      options.mimeType ??
      (MIME_BY_FORMAT[options.format] ?? []).find(
        (type) => (hasVideo || type.startsWith('audio/')) && Recorder?.isTypeSupported(type),
      )
  }

  start(sink: ByteSink): void {
    const Recorder = (globalThis as unknown as { MediaRecorder?: RecorderClass }).MediaRecorder
    if (!Recorder) throw new TypeError('MediaRecorder is not available in this runtime')
    const recorder = new Recorder(this.#stream, this.#mimeType ? { mimeType: this.#mimeType } : {})
    this.#recorder = recorder
    recorder.ondataavailable = ({ data }) => {
      this.#chain = this.#chain.then(async () => {
        if (data.size > 0) sink.accept(new Uint8Array(await data.arrayBuffer()))
      })
    }
    recorder.onstop = () => {
      void this.#chain.then(() => sink.end())
    }
    recorder.onerror = (event) => sink.fail(new Error(`MediaRecorder failed: ${String(event)}`))
    recorder.start(this.#timesliceMs)
  }

  pause(): void {
    if (this.#recorder?.state === 'recording') this.#recorder.pause()
  }

  resume(): void {
    if (this.#recorder?.state === 'paused') this.#recorder.resume()
  }

  finish(): void {
    if (this.#recorder && this.#recorder.state !== 'inactive') this.#recorder.stop()
  }

  cancel(): void {
    if (!this.#recorder) return
    this.#recorder.ondataavailable = null
    this.#recorder.onstop = null
    if (this.#recorder.state !== 'inactive') this.#recorder.stop()
  }
}
