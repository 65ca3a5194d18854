/** A view of a byte stream that ends after `limit` bytes; what lies past it is never read on. */
export interface LimitedBody {
  readonly body: AsyncIterable<Uint8Array>
  /** True once bytes past the limit were offered and dropped. */
  readonly truncated: () => boolean
}

export function takeBytes(source: AsyncIterable<Uint8Array>, limit: number): LimitedBody {
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
