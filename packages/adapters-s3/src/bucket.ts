import { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type { BlobUploadPart } from '@rec/domain'
import { isMissing, isNotImplemented } from './errors.js'

export interface ListedUpload {
  readonly name: string
  readonly uploadId: string
  readonly initiated: Date
}

export interface ListedObject {
  readonly name: string
  readonly lastModified: Date
}

/** The few S3 calls the store makes, on one bucket; errors are the SDK's own. */
export class Bucket {
  readonly #client: S3Client
  readonly #bucket: string

  constructor(client: S3Client, bucket: string) {
    this.#client = client
    this.#bucket = bucket
  }

  get name(): string {
    return this.#bucket
  }

  async check(): Promise<void> {
    await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }))
  }

  async put(name: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: name,
        Body: body,
        ContentLength: body.byteLength,
        Metadata: metadata,
      }),
    )
  }

  /** The first `size` bytes of an object, in memory (tail segments are under one part). */
  async bytes(name: string, size: number): Promise<Uint8Array> {
    if (size === 0) return new Uint8Array(0)
    const out = await this.#client.send(
      new GetObjectCommand({ Bucket: this.#bucket, Key: name, Range: `bytes=0-${size - 1}` }),
    )
    const bytes = await out.Body?.transformToByteArray()
    if (!bytes || bytes.byteLength < size) throw new Error(`object ${name} holds fewer than ${size} bytes`)
    return bytes.subarray(0, size)
  }

  /** Streams an object or an inclusive range of it. */
  async stream(
    name: string,
    range: { start: number; end: number } | null,
  ): Promise<AsyncIterable<Uint8Array>> {
    const out = await this.#client.send(
      new GetObjectCommand({
        Bucket: this.#bucket,
        Key: name,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
    )
    if (out.Body instanceof Readable) return out.Body
    if (out.Body === undefined) return Readable.from([])
    return Readable.from([await out.Body.transformToByteArray()])
  }

  /** The object's size, or null when there is none. */
  async sizeOf(name: string): Promise<number | null> {
    try {
      const out = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: name }))
      return out.ContentLength ?? 0
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  async createUpload(name: string): Promise<string> {
    const out = await this.#client.send(new CreateMultipartUploadCommand({ Bucket: this.#bucket, Key: name }))
    if (!out.UploadId) throw new Error('CreateMultipartUpload returned no UploadId')
    return out.UploadId
  }

  async uploadPart(name: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string> {
    const out = await this.#client.send(
      new UploadPartCommand({
        Bucket: this.#bucket,
        Key: name,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.byteLength,
      }),
    )
    if (!out.ETag) throw new Error('UploadPart returned no ETag')
    return out.ETag
  }

  async complete(name: string, uploadId: string, parts: readonly BlobUploadPart[]): Promise<void> {
    await this.#client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.#bucket,
        Key: name,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
    )
  }

  /** Aborts an upload; a server without AbortMultipartUpload, or an upload already gone, is no error. */
  async abort(name: string, uploadId: string): Promise<void> {
    try {
      await this.#client.send(
        new AbortMultipartUploadCommand({ Bucket: this.#bucket, Key: name, UploadId: uploadId }),
      )
    } catch (error) {
      if (!isNotImplemented(error) && !isMissing(error)) throw error
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: name }))
    } catch (error) {
      if (!isMissing(error)) throw error
    }
  }

  /**
   * Deletes `names` in one DeleteObjects request per 1,000 (a part's tail segments can number
   * hundreds); one DeleteObject each on a server without it. Missing objects are not an error.
   */
  async deleteMany(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 1000) {
      const batch = names.slice(i, i + 1000)
      try {
        const out = await this.#client.send(
          new DeleteObjectsCommand({
            Bucket: this.#bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        )
        const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
        if (failed.length > 0)
          throw new Error(`DeleteObjects refused ${failed.length} of ${batch.length}: ${failed[0]?.Code}`)
      } catch (error) {
        if (!isNotImplemented(error)) throw error
        await Promise.all(batch.map((name) => this.delete(name)))
      }
    }
  }

  /** Unfinished multipart uploads under `prefix`; none on a server without ListMultipartUploads. */
  async listUploads(prefix: string): Promise<readonly ListedUpload[]> {
    try {
      const out = await this.#client.send(
        new ListMultipartUploadsCommand({ Bucket: this.#bucket, Prefix: prefix }),
      )
      return (out.Uploads ?? []).flatMap((u) =>
        u.Key && u.UploadId
          ? [{ name: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) }]
          : [],
      )
    } catch (error) {
      if (isNotImplemented(error)) return []
      throw error
    }
  }

  /** Objects under `prefix`, the first thousand (the janitor runs again). */
  async listObjects(prefix: string): Promise<readonly ListedObject[]> {
    const out = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix }))
    return (out.Contents ?? []).flatMap((o) =>
      o.Key ? [{ name: o.Key, lastModified: o.LastModified ?? new Date(0) }] : [],
    )
  }
}
