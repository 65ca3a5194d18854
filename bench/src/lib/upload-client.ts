/** The media type of every tus (and SPEC §5 PATCH) body. */
export const UPLOAD_TYPE = 'application/offset+octet-stream'

/** One upload a server created, ready for PATCHes. */
export interface UploadSession {
  /** The upload URL the PATCHes go to. */
  readonly url: string
  /** Headers every PATCH carries (auth, Tus-Resumable). */
  readonly headers: Readonly<Record<string, string>>
  /** A request that completes the upload, where the protocol needs one (the service's §5 stop). */
  readonly finish?: () => Promise<void>
}

/**
 * One PATCH as real clients send it (tus-js-client, the SDK, curl): plain `fetch`, the chunk as
 * the body with its Content-Length, `Upload-Offset` and `application/offset+octet-stream`.
 * Rejects unless the answer is 204 with `Upload-Offset` just past the chunk.
 */
export async function patchChunk(session: UploadSession, offset: number, chunk: Uint8Array): Promise<void> {
  const res = await fetch(session.url, {
    method: 'PATCH',
    headers: { ...session.headers, 'content-type': UPLOAD_TYPE, 'upload-offset': String(offset) },
    body: chunk,
  })
  if (res.status !== 204) {
    const text = await res.text()
    throw new Error(`PATCH at ${offset} answered ${res.status}: ${text.slice(0, 200)}`)
  }
  const next = Number(res.headers.get('upload-offset'))
  if (next !== offset + chunk.byteLength) {
    throw new Error(`PATCH at ${offset} of ${chunk.byteLength} bytes answered Upload-Offset ${next}`)
  }
}

/**
 * Sends `bytes` in `chunk`-sized PATCHes, one after another, as fast as the server answers;
 * resolves with the ms the completing request took (the last PATCH, or `finish`), where a server
 * that makes the upload durable (fsync) pays for it.
 */
export async function uploadAll(session: UploadSession, bytes: number, chunk: Uint8Array): Promise<number> {
  let last = 0
  for (let offset = 0; offset < bytes; offset += chunk.byteLength) {
    const size = Math.min(chunk.byteLength, bytes - offset)
    const sent = performance.now()
    await patchChunk(session, offset, size === chunk.byteLength ? chunk : chunk.subarray(0, size))
    last = performance.now() - sent
  }
  if (!session.finish) return last
  const sent = performance.now()
  await session.finish()
  return performance.now() - sent
}

export interface PacedOutcome {
  /** Ms each PATCH took, from sending to its 204. */
  readonly latencies: readonly number[]
  /** The most a PATCH ended after it was due (ms): a client that falls behind piles this up. */
  readonly maxLagMs: number
  readonly error: string | null
}

/**
 * A live recorder uploading over HTTP: one `chunk` every `everyMs` (from a random phase, as real
 * clients do not send on the same millisecond), `count` of them, each PATCH sent when due or, if
 * the previous one is still running, as soon as it returns (PATCHes of one upload are sequential).
 * An upload `giveUpLagMs` behind stops there: it has not kept up, and the round stays bounded.
 */
export async function uploadPaced(
  session: UploadSession,
  chunk: Uint8Array,
  count: number,
  everyMs: number,
  giveUpLagMs = 5000,
): Promise<PacedOutcome> {
  const latencies: number[] = []
  let maxLagMs = 0
  let due = performance.now() + Math.random() * everyMs
  try {
    for (let i = 0; i < count; i++) {
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const sent = performance.now()
      await patchChunk(session, i * chunk.byteLength, chunk)
      const done = performance.now()
      latencies.push(done - sent)
      maxLagMs = Math.max(maxLagMs, done - due)
      due += everyMs
      // Hopelessly behind (it has not kept up): stop, so a slow server cannot stretch the round.
      if (maxLagMs > giveUpLagMs) return { latencies, maxLagMs, error: null }
    }
    await session.finish?.()
    return { latencies, maxLagMs, error: null }
  } catch (error) {
    return { latencies, maxLagMs, error: error instanceof Error ? error.message : String(error) }
  }
}
