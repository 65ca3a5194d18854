/** What `upload()` accepts: a File or Blob, a ReadableStream of bytes, or bytes in memory. */
export type UploadBody = Blob | ReadableStream<Uint8Array> | Uint8Array

/** Random access to the bytes of an upload, as far as a stream allows (from the last chunk sent on). */
export interface UploadSource {
  /** Total size when known up front (a stream's is known only at its end). */
  readonly size: number | null
  /** Up to `max` bytes from `offset`; `last` when they reach the end. */
  chunk(offset: number, max: number): Promise<{ bytes: Uint8Array; last: boolean }>
}

export function uploadSource(body: UploadBody): UploadSource {
  if (body instanceof Uint8Array) {
    return {
      size: body.byteLength,
      chunk: async (offset, max) => ({
        bytes: body.subarray(offset, offset + max),
        last: offset + max >= body.byteLength,
      }),
    }
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return {
      size: body.size,
      chunk: async (offset, max) => ({
        bytes: new Uint8Array(await body.slice(offset, offset + max).arrayBuffer()),
        last: offset + max >= body.size,
      }),
    }
  }
  return new StreamSource(body as ReadableStream<Uint8Array>)
}

/** A stream read once: keeps the bytes from the last requested offset until a later one is asked. */
class StreamSource implements UploadSource {
  size: number | null = null
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  #held: Uint8Array = new Uint8Array(0)
  #heldStart = 0
  #done = false

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader()
  }

  async chunk(offset: number, max: number): Promise<{ bytes: Uint8Array; last: boolean }> {
    if (offset < this.#heldStart) {
      throw new RangeError(`cannot resume a stream at ${offset}: bytes before ${this.#heldStart} are gone`)
    }
    this.#held = this.#held.subarray(Math.min(offset - this.#heldStart, this.#held.byteLength))
    this.#heldStart = offset
    while (!this.#done && this.#held.byteLength < max) {
      const { value, done } = await this.#reader.read()
      if (done) this.#done = true
      else this.#held = concat(this.#held, value)
    }
    const last = this.#done && this.#held.byteLength <= max
    if (last) this.size = offset + this.#held.byteLength
    return { bytes: this.#held.subarray(0, max), last }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}
