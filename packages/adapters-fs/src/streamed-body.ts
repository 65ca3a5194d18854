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
 * Writes a streamed body in order through `write`, a MiB at a time, reading on while the MiB
 * before is written: reading the socket, hashing and the thread pool's write overlap instead of
 * taking turns (with 8 MiB PATCHes the body waited for each write, bench/NOTES.md). Chunks are
 * gathered by reference, as before; a full MiB is copied into a buffer of our own before the next
 * chunk is asked for and written from there, since a body may reuse its buffer once asked for
 * more (a write in flight on the body's own chunks stored garbage, the store's test). One such
 * buffer an append, filled again only after its write finished; a body shorter than a MiB (a
 * 256 KiB PATCH) is written from its own chunks once it ended, with no copy. What arrived before
 * the body failed is written too, unless a write failed; a failed write stops the reading at the
 * next chunk and its error is the one thrown.
 */
export async function writeStreamed(
  body: AsyncIterable<Uint8Array>,
  write: (chunks: readonly Uint8Array[]) => Promise<void>,
  buffers: WriteBuffers,
): Promise<void> {
  let own: Buffer | null = null
  let gathered: Uint8Array[] = []
  let bytes = 0
  const state: { writing: Promise<void> | null; failure: { readonly error: unknown } | null } = {
    writing: null,
    failure: null,
  }
  try {
    try {
      for await (const chunk of body) {
        if (state.failure) throw state.failure.error
        gathered.push(chunk)
        bytes += chunk.byteLength
        if (bytes < WRITE_BYTES) continue
        // Our buffer is free again once its previous write is done.
        await state.writing
        own ??= buffers.take()
        const batch =
          bytes <= own.byteLength ? copyInto(own, gathered, bytes) : Buffer.concat(gathered, bytes)
        const running = write([batch])
        // Noted at once, so a failure while the body is being read is not an unhandled rejection.
        running.catch((error: unknown) => {
          state.failure ??= { error }
        })
        state.writing = running
        gathered = []
        bytes = 0
      }
    } finally {
      await state.writing
      // Also when the body failed: what was received is stored, as a dropped upload expects.
      if (gathered.length > 0) await write(gathered)
    }
  } finally {
    // Every write has settled by now (each is awaited above): the buffer is free.
    if (own) buffers.give(own)
  }
}

/** Copies `chunks` (`bytes` in all) to the start of `target`; the filled part of it. */
function copyInto(target: Buffer, chunks: readonly Uint8Array[], bytes: number): Buffer {
  let at = 0
  for (const chunk of chunks) {
    target.set(chunk, at)
    at += chunk.byteLength
  }
  return target.subarray(0, bytes)
}
