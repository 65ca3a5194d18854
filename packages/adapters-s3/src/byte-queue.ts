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
    this.#drop(n)
    return out
  }

  /** Removes and returns the first `n` bytes as the pieces they are held in, without copying. */
  takeChunks(n: number): Uint8Array[] {
    const out: Uint8Array[] = []
    for (let left = n, i = 0; left > 0 && i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i] as Uint8Array
      out.push(chunk.byteLength <= left ? chunk : chunk.subarray(0, left))
      left -= Math.min(left, chunk.byteLength)
    }
    this.#drop(n)
    return out
  }

  #drop(n: number): void {
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
  }
}
