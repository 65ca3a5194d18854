/** Bytes gathered from a body before they are written in one write. */
export const WRITE_BYTES = 1024 * 1024

/** Free write buffers kept for the next bodies, at most this many (8 MiB). */
const POOL_MAX = 8

/**
 * Buffers of WRITE_BYTES that streamed bodies are copied into, reused across appends: a body of
 * 8 MiB PATCHes would otherwise allocate (and leave to the collector) a MiB for every MiB stored.
 */
export class WriteBuffers {
  readonly #free: Buffer[] = []

  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafe(WRITE_BYTES)
  }

  give(buffer: Buffer): void {
    if (this.#free.length < POOL_MAX) this.#free.push(buffer)
  }
}

/**
 * Writes a streamed body in order through `write`, one MiB at a time, reading on while the MiB
 * before is written: reading the socket, hashing and the thread pool's write overlap instead of
 * taking turns (with 8 MiB PATCHes the body waited for each write, bench/NOTES.md). Each chunk is
 * copied into one of two buffers of our own as it arrives, since a body may reuse its buffer once
 * asked for the next chunk; a buffer is filled again only after its write finished, and at most
 * one write is in flight. What arrived before the body failed is written too, unless a write
 * failed; a failed write stops the reading at the next chunk and its error is the one thrown.
 */
export async function writeStreamed(
  body: AsyncIterable<Uint8Array>,
  write: (chunks: readonly Uint8Array[]) => Promise<void>,
  buffers: WriteBuffers,
): Promise<void> {
  const own: Buffer[] = [buffers.take()]
  let filling = own[0] as Buffer
  let used = 0
  const state: { writing: Promise<void> | null; failure: { readonly error: unknown } | null } = {
    writing: null,
    failure: null,
  }
  const start = (bytes: Uint8Array): void => {
    const running = write([bytes])
    // Noted at once, so a failure while the body is being read is not an unhandled rejection.
    running.catch((error: unknown) => {
      state.failure ??= { error }
    })
    state.writing = running
  }
  try {
    try {
      for await (const chunk of body) {
        if (state.failure) throw state.failure.error
        let from = 0
        while (from < chunk.byteLength) {
          const n = Math.min(chunk.byteLength - from, filling.byteLength - used)
          filling.set(n === chunk.byteLength ? chunk : chunk.subarray(from, from + n), used)
          used += n
          from += n
          if (used < filling.byteLength) continue
          // The other buffer is free once its write is done.
          await state.writing
          start(filling)
          const other = own.find((b) => b !== filling)
          filling = other ?? buffers.take()
          if (!other) own.push(filling)
          used = 0
        }
      }
    } finally {
      await state.writing
      // Also when the body failed: what was received is stored, as a dropped upload expects.
      if (used > 0) await write([filling.subarray(0, used)])
    }
  } finally {
    // Every write has settled by now (each is awaited above): the buffers are free.
    for (const buffer of own) buffers.give(buffer)
  }
}
