/** What the registry needs of an attached stream. */
export interface AttachedStream {
  /** Stops reading, lets pending writes finish, then closes with `code`. */
  detach(code: number, reason: string): Promise<void>
}

/**
 * The streams attached to recordings on this instance: one per recording. A new stream takes
 * over (the older one is closed with 4000 once its pending writes are stored).
 */
export class StreamRegistry {
  readonly #streams = new Map<string, AttachedStream>()

  /** Makes `stream` the recording's stream; resolves once the previous one is fully detached. */
  async claim(recordingId: string, stream: AttachedStream): Promise<void> {
    const previous = this.#streams.get(recordingId)
    this.#streams.set(recordingId, stream)
    if (previous && previous !== stream) await previous.detach(4000, 'taken over by a newer stream')
  }

  release(recordingId: string, stream: AttachedStream): void {
    if (this.#streams.get(recordingId) === stream) this.#streams.delete(recordingId)
  }

  /**
   * Closes the recording's stream, if any (the recording was deleted, or a newer stream on another
   * instance takes it over); resolves true once one was there and is detached.
   */
  async close(recordingId: string, code: number, reason: string): Promise<boolean> {
    const stream = this.#streams.get(recordingId)
    this.#streams.delete(recordingId)
    await stream?.detach(code, reason)
    return stream !== undefined
  }

  /** Closes every stream, as on shutdown. */
  async closeAll(code: number, reason: string): Promise<void> {
    const all = [...this.#streams.values()]
    this.#streams.clear()
    await Promise.all(all.map((s) => s.detach(code, reason)))
  }

  get size(): number {
    return this.#streams.size
  }
}
