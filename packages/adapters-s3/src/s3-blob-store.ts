import { createHash, type Hash } from 'node:crypto'
import type { S3Client } from '@aws-sdk/client-s3'
import {
  type BlobRange,
  type BlobStore,
  type BlobUpload,
  type BlobUploadRepo,
  KeyedMutex,
  OffsetMismatchError,
  type StoredBlob,
  WriterFencedError,
} from '@rec/domain'
import { Bucket } from './bucket.js'
import { ByteQueue } from './byte-queue.js'
import { asStorageError, BlobNotFoundError } from './errors.js'
import { blobKey, ObjectNames } from './object-names.js'
import { type Sweep, sweepOrphans } from './sweep-orphans.js'
import {
  concat,
  emptyUpload,
  MIN_PART_BYTES,
  next,
  storedBytes,
  tailBytes,
  withPart,
  withSegment,
} from './upload-state.js'

export interface S3BlobStoreOptions {
  /** Configured by the caller; with s3rver, checksums `WHEN_REQUIRED` (it stores the SDK's chunk framing). */
  readonly client: S3Client
  readonly bucket: string
  /** Prepended to every object name, e.g. `media/`. */
  readonly prefix?: string
  /** Where the parts and tail segments of unfinished blobs are recorded (PostgreSQL). */
  readonly uploads: BlobUploadRepo
  /** Size of every multipart part but the last; at least 5 MiB, S3's minimum. */
  readonly partBytes?: number
}

const sha256 = (hash: Hash): string => `sha256:${hash.digest('hex')}`

/**
 * BlobStore on S3-compatible object storage. An append resolves only once its bytes are in the
 * bucket: full parts of a multipart upload, and bytes past the last full part as tail segment
 * objects until they fill one. The record of parts and segments lives in `uploads` and is saved by
 * compare-and-set, so two writers of one blob (two instances) exclude each other.
 *
 * @example
 * const store = new S3BlobStore({ client, bucket: 'media', uploads: new PostgresBlobUploadRepo(db) })
 */
export class S3BlobStore implements BlobStore {
  readonly #bucket: Bucket
  readonly #names: ObjectNames
  readonly #uploads: BlobUploadRepo
  readonly #partBytes: number
  readonly #mutex = new KeyedMutex()
  /** Running sha256 of the blobs this instance wrote from byte 0, and how many bytes it covers. */
  readonly #hashes = new Map<string, { hash: Hash; bytes: number }>()
  /**
   * The tail bytes of each blob as of a record version, so an append need not download them; kept
   * as the pieces they arrived in, so an append copies only its own bytes, not the whole tail
   * again (up to 5 MiB a frame, for a stream of small frames).
   */
  readonly #tails = new Map<string, { version: number; chunks: readonly Uint8Array[] }>()
  /**
   * The upload record this instance last saved for each blob, so an append need not read it back
   * first (one SELECT per frame of every stream). Another writer's change is still caught: the
   * compare-and-set save fails on the version, and an offset that does not match is checked
   * against the stored record before it is refused.
   */
  readonly #records = new Map<string, BlobUpload>()

  constructor({ client, bucket, prefix = '', uploads, partBytes = MIN_PART_BYTES }: S3BlobStoreOptions) {
    if (partBytes < MIN_PART_BYTES) throw new RangeError(`partBytes must be at least ${MIN_PART_BYTES}`)
    this.#bucket = new Bucket(client, bucket)
    this.#names = new ObjectNames(prefix)
    this.#uploads = uploads
    this.#partBytes = partBytes
  }

  /** `s3://bucket/prefix`, for the start-up log. */
  describe(): string {
    return `s3://${this.#bucket.name}/${this.#names.prefix}`
  }

  /** Rejects unless the bucket answers (HeadBucket); for /health/ready. */
  checkReady(): Promise<void> {
    return this.#bucket.check()
  }

  async append(
    key: string,
    offset: number,
    body: AsyncIterable<Uint8Array>,
    fence?: number,
  ): Promise<number> {
    const k = blobKey(key)
    return this.#mutex.run(k, () => this.#append(k, offset, body, fence ?? null))
  }

  async size(key: string): Promise<number> {
    const upload = await this.#uploads.find(blobKey(key))
    return upload ? storedBytes(upload) : 0
  }

  async finalize(key: string): Promise<StoredBlob> {
    const k = blobKey(key)
    return this.#mutex.run(k, () => this.#finalize(k))
  }

  async read(key: string, range: BlobRange | null): Promise<AsyncIterable<Uint8Array>> {
    const k = blobKey(key)
    const upload = await this.#uploads.find(k)
    if (!upload?.finished) throw new BlobNotFoundError(k)
    if (upload.finished.sizeBytes === 0) return (async function* () {})()
    return this.#bucket.stream(this.#names.final(k), range)
  }

  async delete(key: string): Promise<void> {
    const k = blobKey(key)
    return this.#mutex.run(k, async () => {
      const upload = await this.#uploads.find(k)
      if (upload) await this.#discardUnfinished(upload)
      await this.#bucket.delete(this.#names.final(k))
      await this.#uploads.delete(k)
      this.#forget(k)
    })
  }

  async removeUnfinished(key: string): Promise<void> {
    const k = blobKey(key)
    return this.#mutex.run(k, async () => {
      const upload = await this.#uploads.find(k)
      if (!upload || upload.finished) return
      await this.#discardUnfinished(upload)
      await this.#uploads.delete(k)
      this.#forget(k)
    })
  }

  async listUnfinished(): Promise<readonly string[]> {
    return (await this.#uploads.listUnfinished(1000)).map((u) => u.key)
  }

  /**
   * Aborts multipart uploads and removes tail segments that no record names (a writer killed
   * between sending and recording them), once older than `graceMs`. Tolerates a server without
   * ListMultipartUploads (s3rver): then only tail segments are swept.
   */
  sweepOrphans(now: Date, graceMs = 3_600_000): Promise<Sweep> {
    return sweepOrphans({ bucket: this.#bucket, names: this.#names, uploads: this.#uploads, now, graceMs })
  }

  async #append(
    k: string,
    offset: number,
    body: AsyncIterable<Uint8Array>,
    fence: number | null,
  ): Promise<number> {
    const remembered = this.#records.get(k)
    let upload =
      remembered && storedBytes(remembered) === offset
        ? remembered
        : ((await this.#uploads.find(k)) ?? emptyUpload(k))
    const stored = storedBytes(upload)
    if (upload.finished || offset !== stored) throw new OffsetMismatchError(stored, offset)
    const hashed = this.#hashes.get(k)
    const hash = hashed?.bytes === stored ? hashed.hash : stored === 0 ? createHash('sha256') : null
    this.#hashes.delete(k)
    const queue = new ByteQueue()
    for (const chunk of await this.#tail(upload)) queue.push(chunk)
    let durable = queue.size
    let bodyError: { error: unknown } | null = null
    try {
      for await (const chunk of body) {
        queue.push(chunk)
        hash?.update(chunk)
        while (queue.size >= this.#partBytes) {
          upload = await this.#sendPart(upload, queue.take(this.#partBytes), fence)
          durable = 0
        }
      }
    } catch (error) {
      bodyError = { error }
    }
    if (queue.size > durable) upload = await this.#sendTail(upload, queue, durable, fence)
    if (bodyError) throw bodyError.error
    const size = storedBytes(upload)
    if (hash) this.#hashes.set(k, { hash, bytes: size })
    return size
  }

  /** The bytes of the tail segments, in pieces: from memory when this instance saved that version, else the bucket. */
  async #tail(upload: BlobUpload): Promise<readonly Uint8Array[]> {
    const cached = this.#tails.get(upload.key)
    if (cached?.version === upload.version) return cached.chunks
    return Promise.all(upload.tail.map((s) => this.#bucket.bytes(s.name, s.sizeBytes)))
  }

  /** The tail segments' bytes as one buffer (a final part or a small blob's only object). */
  async #tailBytes(upload: BlobUpload): Promise<Uint8Array> {
    return concat(await this.#tail(upload), tailBytes(upload))
  }

  /** Sends one full part (a part number reserved first, so no two writers share one) and records it. */
  async #sendPart(upload: BlobUpload, bytes: Uint8Array, fence: number | null): Promise<BlobUpload> {
    const name = this.#names.final(upload.key)
    const uploadId = upload.uploadId ?? (await this.#write(() => this.#bucket.createUpload(name)))
    const reserved = next(upload, { uploadId, nextPartNumber: upload.nextPartNumber + 1 })
    await this.#save(reserved, upload, fence)
    const partNumber = upload.nextPartNumber
    const etag = await this.#write(() => this.#bucket.uploadPart(name, uploadId, partNumber, bytes))
    const recorded = withPart(reserved, { partNumber, etag, sizeBytes: bytes.byteLength })
    await this.#save(recorded, reserved, fence)
    await this.#deleteSegments(upload)
    this.#tails.set(upload.key, { version: recorded.version, chunks: [] })
    return recorded
  }

  /** Stores the queued bytes past `durable` as a new tail segment and records it. */
  async #sendTail(
    upload: BlobUpload,
    queue: ByteQueue,
    durable: number,
    fence: number | null,
  ): Promise<BlobUpload> {
    const stored = queue.takeChunks(durable)
    const fresh = queue.take(queue.size)
    const name = this.#names.tailSegment(upload.key, upload.version + 1)
    await this.#write(() => this.#bucket.put(name, fresh))
    const recorded = withSegment(upload, { name, sizeBytes: fresh.byteLength })
    try {
      await this.#save(recorded, upload, fence)
    } catch (error) {
      await this.#bucket.delete(name).catch(() => undefined)
      throw error
    }
    this.#tails.set(upload.key, { version: recorded.version, chunks: [...stored, fresh] })
    return recorded
  }

  async #finalize(k: string): Promise<StoredBlob> {
    let upload = (await this.#uploads.find(k)) ?? emptyUpload(k)
    if (upload.finished) return upload.finished
    const size = storedBytes(upload)
    const hashed = this.#hashes.get(k)
    const name = this.#names.final(k)
    let checksum: string
    if (upload.parts.length === 0) {
      const bytes = await this.#tailBytes(upload)
      checksum = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
      await this.#write(() => this.#bucket.put(name, bytes, { sha256: checksum.slice(7) }))
      if (upload.uploadId) await this.#bucket.abort(name, upload.uploadId).catch(() => undefined)
    } else {
      if (upload.tail.length > 0) upload = await this.#sendPart(upload, await this.#tailBytes(upload), null)
      await this.#complete(upload)
      checksum = hashed?.bytes === size ? sha256(hashed.hash) : await this.#checksumFromBucket(name)
    }
    const finished = { sizeBytes: size, checksum }
    await this.#save(next(upload, { uploadId: null, parts: [], tail: [], finished }), upload, null)
    await this.#deleteSegments(upload)
    this.#forget(k)
    return finished
  }

  /** Completes the multipart upload; one an earlier try completed (object there, in full) is done. */
  async #complete(upload: BlobUpload): Promise<void> {
    const name = this.#names.final(upload.key)
    const parts = [...upload.parts].sort((a, b) => a.partNumber - b.partNumber)
    try {
      await this.#bucket.complete(name, upload.uploadId ?? '', parts)
    } catch (error) {
      if ((await this.#bucket.sizeOf(name).catch(() => null)) !== storedBytes(upload))
        throw asStorageError(error)
    }
  }

  /** Hashes the published object by reading it back: the blob was written partly elsewhere. */
  async #checksumFromBucket(name: string): Promise<string> {
    const hash = createHash('sha256')
    for await (const chunk of await this.#bucket.stream(name, null)) hash.update(chunk)
    return sha256(hash)
  }

  async #save(nextUpload: BlobUpload, current: BlobUpload, fence: number | null): Promise<void> {
    const outcome = await this.#write(() => this.#uploads.save(nextUpload, current.version, fence))
    if (outcome === 'saved') {
      this.#records.set(nextUpload.key, nextUpload)
      return
    }
    this.#forget(current.key)
    if (outcome === 'fenced') throw new WriterFencedError(fence ?? 0)
    const now = await this.#uploads.find(current.key)
    throw new OffsetMismatchError(now ? storedBytes(now) : 0, storedBytes(current))
  }

  async #discardUnfinished(upload: BlobUpload): Promise<void> {
    if (upload.uploadId) await this.#bucket.abort(this.#names.final(upload.key), upload.uploadId)
    await this.#deleteSegments(upload)
  }

  /**
   * Removes the tail segments a part or the final object now holds: one DeleteObjects request,
   * not one request per segment (a 2.5 Mbit/s stream in 100 ms frames leaves ~170 per part). A
   * failure leaves orphans for `sweepOrphans`.
   */
  async #deleteSegments(upload: BlobUpload): Promise<void> {
    if (upload.tail.length === 0) return
    await this.#bucket.deleteMany(upload.tail.map((s) => s.name)).catch(() => undefined)
  }

  #forget(k: string): void {
    this.#hashes.delete(k)
    this.#tails.delete(k)
    this.#records.delete(k)
  }

  async #write<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      throw asStorageError(error)
    }
  }
}
