import type { ProbeSource } from '@rec/domain'
import { CustomSource } from 'mediabunny'

/** Where a source records that reading (not parsing) failed. */
export interface ReadTracker {
  failure: unknown
}

/**
 * A mediabunny Source over stored bytes: each read is one range read from the store, so only
 * the ranges the demuxer asks for are in memory, and its cache holds at most `maxCacheBytes`.
 */
export function blobSource(source: ProbeSource, tracker: ReadTracker, maxCacheBytes: number): CustomSource {
  return new CustomSource({
    getSize: () => source.sizeBytes,
    read: async (start, end) => {
      try {
        // mediabunny's `end` is exclusive; a blob range is inclusive.
        return await collect(await source.read({ start, end: end - 1 }), end - start)
      } catch (error) {
        tracker.failure = error
        throw error
      }
    },
    maxCacheSize: maxCacheBytes,
    prefetchProfile: 'fileSystem',
    // A prefetch that fails while no read waits (the blob deleted mid-probe) would otherwise be an
    // unhandled rejection, which ends the process; the next read that needs it fails instead.
    handleUnhandledError: (error) => {
      tracker.failure ??= error
    },
  })
}

async function collect(body: AsyncIterable<Uint8Array>, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length)
  let at = 0
  for await (const chunk of body) {
    bytes.set(chunk.subarray(0, length - at), at)
    at += chunk.byteLength
    if (at >= length) break
  }
  if (at < length) throw new Error(`short read: ${at} of ${length} bytes`)
  return bytes
}
