/** One uploaded part of an object-storage multipart upload. */
export interface BlobUploadPart {
  readonly partNumber: number
  readonly etag: string
  readonly sizeBytes: number
}

/** One object holding bytes past the last part, until they fill a part. */
export interface BlobTailSegment {
  readonly name: string
  readonly sizeBytes: number
}

/**
 * What is durable of one unfinished blob in object storage: the parts and the tail segments, in
 * order. Object stores without ListParts (s3rver) cannot say this themselves.
 */
export interface BlobUpload {
  readonly key: string
  /** Bumped by every save; a save names the version it read (compare-and-set). */
  readonly version: number
  /** The multipart upload, once one was created. */
  readonly uploadId: string | null
  /** The next part number any writer may use; reserved by a save before the part is sent. */
  readonly nextPartNumber: number
  readonly parts: readonly BlobUploadPart[]
  readonly tail: readonly BlobTailSegment[]
  /** Set once the blob was published; the row then only remembers its figures. */
  readonly finished: { readonly sizeBytes: number; readonly checksum: string } | null
}

/** Keeps BlobUpload records for an object-storage BlobStore. */
export interface BlobUploadRepo {
  /** The record of `key`, or null. Rejects with DependencyUnavailableError when unreachable. */
  find(key: string): Promise<BlobUpload | null>
  /**
   * Stores `next` (whose version is `expectedVersion + 1`) if the stored version is still
   * `expectedVersion` (0: no record yet) and, with `fence`, no WriterLease token newer than `fence`
   * was taken for the key, in one atomic step. Resolves 'conflict' when another writer saved
   * first, 'fenced' when a newer writer holds the lease.
   */
  save(
    next: BlobUpload,
    expectedVersion: number,
    fence: number | null,
  ): Promise<'saved' | 'conflict' | 'fenced'>
  /** Removes the record; resolves when it is gone (or was never there). */
  delete(key: string): Promise<void>
  /** Records of blobs not finished yet, oldest first, at most `limit`. */
  listUnfinished(limit: number): Promise<readonly BlobUpload[]>
}
