import type { ProbeSource } from './media-probe.js'

/** Makes playable copies of stored media without re-encoding it. */
export interface MediaRemuxer {
  /**
   * Streams a seekable copy (duration and cues) of a WebM/Matroska `source` that lacks them,
   * or resolves null when it has them already, is another container, or cannot be copied
   * without re-encoding. Rejects when reading fails or the bytes cannot be demuxed.
   */
  seekableCopy(source: ProbeSource): Promise<AsyncIterable<Uint8Array> | null>
}
