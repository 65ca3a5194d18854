/** Inclusive byte range of a stored blob. */
export interface BlobRange {
  readonly start: number
  readonly end: number
}

export interface StoredBlob {
  readonly sizeBytes: number
  /** `sha256:<hex>` of every stored byte. */
  readonly checksum: string
}

/**
 * Bytes to append: a stream of chunks (an HTTP body), or chunks already in memory (a batch of
 * WebSocket frames), which a store can take in one synchronous pass with no per-chunk promise.
 */
export type ByteChunks = AsyncIterable<Uint8Array> | readonly Uint8Array[]

/**
 * Stores recording media. Keys are opaque and derived from ids, never from user input.
 * A blob is unfinished (appendable) until `finalize` publishes it atomically.
 */
export interface BlobStore {
  /**
   * Appends `body` at `offset` of the unfinished blob (created on first use) and resolves with
   * the new size once every byte is written. Rejects with OffsetMismatchError when `offset` is not
   * the stored size, with StorageWriteError when the medium refuses, or with the body's own error;
   * bytes written before a rejection stay stored and `size` counts them. With `fence` (a
   * WriterLease token) it rejects with WriterFencedError, storing no more of `body`, once a newer
   * token was taken for `key`.
   *
   * A store keeps none of the body's memory once the append settled: a caller may reuse the
   * buffers of an array body (a pool of frames) from then on, so bytes a store holds longer (a
   * tail waiting to fill a part) are its own copy.
   */
  append(key: string, offset: number, body: ByteChunks, fence?: number): Promise<number>
  /** Bytes stored, of the unfinished blob or else of the finished one; 0 when there is none. */
  size(key: string): Promise<number>
  /**
   * Optional: readies the unfinished blob of `key` for appends (a file store opens its file, so a
   * stream's first frame does not wait behind every other stream's opens) and resolves with its
   * size, as `size` would. Stores without it are asked `size`.
   */
  prepare?(key: string): Promise<number>
  /**
   * Publishes the unfinished blob (an empty one if nothing was appended) under its final name,
   * atomically. On a blob already finished it resolves with its figures again.
   */
  finalize(key: string): Promise<StoredBlob>
  /** Streams the finished blob, or `range` of it. Rejects with BlobNotFoundError when it is not there. */
  read(key: string, range: BlobRange | null): Promise<AsyncIterable<Uint8Array>>
  /** Removes the blob in both states; resolves when nothing of it is left. */
  delete(key: string): Promise<void>
  /** Removes only the unfinished blob of `key`; a finished one stays. Resolves when it is gone. */
  removeUnfinished(key: string): Promise<void>
  /** Keys of unfinished blobs, for the janitor to match against recordings. */
  listUnfinished(): Promise<readonly string[]>
}
