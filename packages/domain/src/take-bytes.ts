import type { ByteChunks } from './ports/blob-store.js'

/** A view of a byte stream that ends after `limit` bytes; what lies past it is never read on. */
export interface LimitedBody<B extends ByteChunks = ByteChunks> {
  readonly body: B
  /** True once bytes past the limit were offered and dropped. */
  readonly truncated: () => boolean
}

/**
 * The first `limit` bytes of `source`. Chunks already in memory are cut in one synchronous pass
 * (no generator, no promise per chunk: at 2,000 streams this was a third of the domain's work per
 * frame, bench/NOTES.md); a stream is cut as it is read.
 */
export function takeBytes(source: readonly Uint8Array[], limit: number): LimitedBody<readonly Uint8Array[]>
export function takeBytes(source: ByteChunks, limit: number): LimitedBody
export function takeBytes(source: ByteChunks, limit: number): LimitedBody {
  if (isChunkArray(source)) return takeFromArray(source, limit)
  let truncated = false
  async function* limited(): AsyncGenerator<Uint8Array> {
    let left = limit
    for await (const chunk of source) {
      if (chunk.byteLength === 0) continue
      if (chunk.byteLength > left) {
        truncated = true
        if (left > 0) yield chunk.subarray(0, left)
        return
      }
      left -= chunk.byteLength
      yield chunk
    }
  }
  return { body: limited(), truncated: () => truncated }
}

export function isChunkArray(body: ByteChunks): body is readonly Uint8Array[] {
  return Array.isArray(body)
}

function takeFromArray(source: readonly Uint8Array[], limit: number): LimitedBody<readonly Uint8Array[]> {
  let left = limit
  for (let i = 0; i < source.length; i++) {
    const chunk = source[i] as Uint8Array
    if (chunk.byteLength <= left) {
      left -= chunk.byteLength
      continue
    }
    const kept = source.slice(0, i)
    if (left > 0) kept.push(chunk.subarray(0, left))
    return { body: kept, truncated: () => true }
  }
  return { body: source, truncated: () => false }
}
