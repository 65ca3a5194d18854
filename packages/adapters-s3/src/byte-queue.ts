import { concat } from './upload-state.js'

/** Bytes waiting to become a part or a tail segment, in arrival order, without copying until taken. */
export class ByteQueue {
  #chunks: Uint8Array[] = []
  #size = 0

  get size(): number {
    return this.#size
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return
    this.#chunks.push(chunk)
    this.#size += chunk.byteLength
  }

  /** Removes and returns the first `n` bytes as one buffer. */
  take(n: number): Uint8Array {
    const out = concat(this.#chunks, n)
    let left = n
    while (left > 0) {
      const head = this.#chunks[0]
      if (head === undefined) break
      if (head.byteLength <= left) {
        this.#chunks.shift()
        left -= head.byteLength
      } else {
        this.#chunks[0] = head.subarray(left)
        left = 0
      }
    }
    this.#size -= n
    return out
  }
}
