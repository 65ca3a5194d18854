/** What a source delivers its bytes to (the record session). */
export interface ByteSink {
  /** Takes a chunk; the session decides whether it fits. */
  accept(bytes: Uint8Array): void
  /** Resolves when a pull source may read its next chunk (not paused, buffer has room). */
  ready(): Promise<void>
  /** The source has no more bytes. */
  end(): void
  fail(error: Error): void
}

/** A running source of media bytes. */
export interface ByteSource {
  /** Pulled only when the session has room (an iterable), rather than pushing whenever it likes. */
  readonly pull: boolean
  start(sink: ByteSink): void
  pause(): void
  resume(): void
  /** Asks the source to finish: a recorder flushes its last chunk, then `end()`. */
  finish(): void
  /** Stops producing at once (the session failed). */
  cancel(): void
}

/** The part of a browser MediaStream that `record()` needs to recognise one. */
export interface MediaStreamLike {
  getTracks(): readonly unknown[]
  getVideoTracks(): readonly unknown[]
}

export function isMediaStream(value: unknown): value is MediaStreamLike {
  return typeof (value as MediaStreamLike | null)?.getTracks === 'function'
}

/** Pulls an async iterable of bytes, one chunk at a time, only when the session has room. */
export class IterableSource implements ByteSource {
  readonly pull = true
  readonly #iterable: AsyncIterable<Uint8Array | ArrayBuffer>
  #iterator: AsyncIterator<Uint8Array | ArrayBuffer> | null = null
  #cancelled = false

  constructor(iterable: AsyncIterable<Uint8Array | ArrayBuffer>) {
    this.#iterable = iterable
  }

  start(sink: ByteSink): void {
    void this.#run(sink)
  }

  async #run(sink: ByteSink): Promise<void> {
    try {
      const iterator = this.#iterable[Symbol.asyncIterator]()
      this.#iterator = iterator
      for (;;) {
        await sink.ready()
        if (this.#cancelled) return
        const next = await iterator.next()
        if (this.#cancelled) return
        if (next.done) break
        const value = next.value
        sink.accept(value instanceof Uint8Array ? value : new Uint8Array(value))
      }
      sink.end()
    } catch (error) {
      if (!this.#cancelled) sink.fail(error instanceof Error ? error : new Error(String(error)))
    }
  }

  // Pausing and room are both `sink.ready()`: nothing is pulled while either holds.
  pause(): void {}
  resume(): void {}
  // An iterable ends when its producer ends it (a file's end, ffmpeg exiting).
  finish(): void {}

  cancel(): void {
    this.#cancelled = true
    void this.#iterator?.return?.()?.catch(() => {})
  }
}
