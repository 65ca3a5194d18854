/**
 * The bytes sent (or about to be) that the server has not acknowledged yet, as the chunks they
 * arrived in. `start` is the offset of the first byte held, `end` the offset after the last.
 */
export class UnackedBuffer {
  #chunks: Uint8Array[] = []
  #start = 0
  #end = 0

  get start(): number {
    return this.#start
  }
  get end(): number {
    return this.#end
  }
  /** Bytes held. */
  get size(): number {
    return this.#end - this.#start
  }

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return
    this.#chunks.push(bytes)
    this.#end += bytes.byteLength
  }

  /** Drops every byte below `offset` (the server stored them). */
  release(offset: number): void {
    const target = Math.min(offset, this.#end)
    while (this.#chunks.length > 0 && this.#start < target) {
      const first = this.#chunks[0] as Uint8Array
      if (this.#start + first.byteLength <= target) {
        this.#chunks.shift()
        this.#start += first.byteLength
      } else {
        this.#chunks[0] = first.subarray(target - this.#start)
        this.#start = target
      }
    }
  }

  /** The held bytes from `offset` (≥ start) to the end, as chunks (views, no copy). */
  from(offset: number): Uint8Array[] {
    const out: Uint8Array[] = []
    let position = this.#start
    for (const chunk of this.#chunks) {
      const next = position + chunk.byteLength
      if (next > offset) out.push(offset > position ? chunk.subarray(offset - position) : chunk)
      position = next
    }
    return out
  }
}
