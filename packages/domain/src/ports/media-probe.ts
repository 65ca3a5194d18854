import type { MediaFacts } from '../media-facts.js'
import type { BlobRange } from './blob-store.js'

/** Stored bytes a probe reads by range, so no file is ever held in memory whole. */
export interface ProbeSource {
  readonly sizeBytes: number
  /** Streams `range` of the bytes; rejects when the store cannot. */
  read(range: BlobRange): Promise<AsyncIterable<Uint8Array>>
}

/** Reads what a stored container holds. */
export interface MediaProbe {
  /**
   * Resolves the media facts of `source`, or `{ error }` when its bytes are not a readable media
   * file (a final answer). Rejects only when reading the source fails (worth a retry).
   */
  probe(source: ProbeSource): Promise<MediaFacts>
}
