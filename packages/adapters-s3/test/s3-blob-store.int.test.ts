import { createHash, randomBytes } from 'node:crypto'
import { PostgresBlobUploadRepo, PostgresWriterLease } from '@rec/adapters-postgres'
import { OffsetMismatchError, StorageWriteError, WriterFencedError } from '@rec/domain'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestS3 } from '#test-support/s3-server.js'
import { MIN_PART_BYTES, openS3Client, S3BlobStore } from '../src/index.js'
import { S3Fixture } from './s3-fixture.js'

const url = process.env.TEST_DATABASE_URL
const fixture = url ? await S3Fixture.open(url) : null
afterAll(() => fixture?.dispose())

const key = '0b6a4c1e-8d2f-4e7a-9c3b-5f1d2e3a4b5c'
const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`
async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts
}
/** `all` cut into pieces of uneven sizes, up to 1.5 MB. */
function uneven(all: Uint8Array): Uint8Array[] {
  const sizes = [1, 65_536, 0, 1_500_000, 7, 300_000]
  const out: Uint8Array[] = []
  for (let at = 0, i = 0; at < all.byteLength; i++) {
    const size = Math.min(sizes[i % sizes.length] ?? 1, all.byteLength - at)
    out.push(all.subarray(at, at + size))
    at += size
  }
  return out
}
async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const c of body) parts.push(c)
  return Buffer.concat(parts)
}

describe.skipIf(fixture === null)(`S3BlobStore on ${fixture?.s3.kind ?? 'none'}`, () => {
  const f = fixture as S3Fixture
  const repo = () => new PostgresBlobUploadRepo(f.database.db)

  it('sends full parts of at least 5 MiB and keeps the rest as tail objects; reads back every byte exactly', async () => {
    const store = await f.store()
    const all = randomBytes(2 * MIN_PART_BYTES + 2 * 1024 * 1024 + 17)
    expect(await store.append(key, 0, chunks(...uneven(all.subarray(0, 7_000_000))))).toBe(7_000_000)
    expect(await store.append(key, 7_000_000, chunks(...uneven(all.subarray(7_000_000))))).toBe(
      all.byteLength,
    )
    const record = await repo().find(key)
    expect(record?.parts.map((p) => p.sizeBytes)).toEqual([MIN_PART_BYTES, MIN_PART_BYTES])
    expect(record?.tail.reduce((n, s) => n + s.sizeBytes, 0)).toBe(all.byteLength - 2 * MIN_PART_BYTES)
    for (const part of record?.parts ?? []) expect(part.sizeBytes).toBeGreaterThanOrEqual(MIN_PART_BYTES)
    expect(await store.finalize(key)).toEqual({ sizeBytes: all.byteLength, checksum: sha256(all) })
    // No aws-chunked framing stored inside the object: the bytes read back are the bytes sent.
    expect((await collect(await store.read(key, null))).equals(all)).toBe(true)
    const range = { start: MIN_PART_BYTES - 3, end: MIN_PART_BYTES + 4 }
    expect(
      (await collect(await store.read(key, range))).equals(all.subarray(range.start, range.end + 1)),
    ).toBe(true)
  })

  it('refuses a part size under the 5 MiB S3 minimum', async () => {
    await expect(f.store({ partBytes: MIN_PART_BYTES - 1 })).rejects.toBeInstanceOf(RangeError)
  })

  it('lets another instance resume from the bucket alone and recomputes the checksum there', async () => {
    const bucket = await f.freshBucket()
    const all = randomBytes(MIN_PART_BYTES + 1_000_003)
    const cut = MIN_PART_BYTES + 12_345
    const a = await f.store({ bucket })
    expect(await a.append(key, 0, chunks(...uneven(all.subarray(0, cut))))).toBe(cut)
    // A new instance: no memory of the tail or the hash. A was killed, nothing tidied.
    const b = await f.store({ bucket })
    expect(await b.size(key)).toBe(cut)
    await expect(b.append(key, 0, chunks(all.subarray(0, 1)))).rejects.toMatchObject({
      expected: cut,
      received: 0,
    })
    expect(await b.append(key, cut, chunks(all.subarray(cut)))).toBe(all.byteLength)
    expect(await b.finalize(key)).toEqual({ sizeBytes: all.byteLength, checksum: sha256(all) })
    expect(await a.finalize(key)).toEqual({ sizeBytes: all.byteLength, checksum: sha256(all) })
    expect((await collect(await a.read(key, null))).equals(all)).toBe(true)
  })

  it('lets only one of two instances appending at the same offset win; the other gets OffsetMismatchError', async () => {
    const bucket = await f.freshBucket()
    const [a, b] = [await f.store({ bucket }), await f.store({ bucket })]
    const first = randomBytes(MIN_PART_BYTES + 10)
    const second = randomBytes(MIN_PART_BYTES + 20)
    const results = await Promise.allSettled([
      a.append(key, 0, chunks(first)),
      b.append(key, 0, chunks(second)),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
    expect(won).toHaveLength(1)
    expect(lost[0]).toBeInstanceOf(OffsetMismatchError)
    const winner = results[0]?.status === 'fulfilled' ? first : second
    expect(await a.finalize(key)).toEqual({ sizeBytes: winner.byteLength, checksum: sha256(winner) })
    expect((await collect(await b.read(key, null))).equals(winner)).toBe(true)
  })

  it('does not trust the record it remembers once another instance appended: stale appends are refused with the stored offset', async () => {
    const bucket = await f.freshBucket()
    const [a, b] = [await f.store({ bucket }), await f.store({ bucket })]
    const bytes = randomBytes(300)
    expect(await a.append(key, 0, chunks(bytes.subarray(0, 100)))).toBe(100)
    expect(await b.append(key, 100, chunks(bytes.subarray(100, 200)))).toBe(200)
    // A remembers 100 stored bytes: at its own offset the save's version check refuses it, and a
    // wrong offset is checked against the database, so both name the 200 bytes really stored.
    for (const offset of [100, 150]) {
      const refused = await a.append(key, offset, chunks(bytes.subarray(200))).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(OffsetMismatchError)
      expect((refused as OffsetMismatchError).expected).toBe(200)
    }
    expect(await a.append(key, 200, chunks(bytes.subarray(200)))).toBe(300)
    expect(await a.finalize(key)).toEqual({ sizeBytes: 300, checksum: sha256(bytes) })
  })

  it('refuses a writer whose lease a newer one took, in the same step that records its bytes', async () => {
    const bucket = await f.freshBucket()
    const lease = new PostgresWriterLease(f.database.db)
    const [a, b] = [await f.store({ bucket }), await f.store({ bucket })]
    const old = await lease.take(key)
    const first = randomBytes(MIN_PART_BYTES + 100)
    expect(await a.append(key, 0, chunks(first), old)).toBe(first.byteLength)
    const newer = await lease.take(key)
    // Neither a tail segment nor a part of the stale writer is recorded.
    await expect(a.append(key, first.byteLength, chunks(randomBytes(10)), old)).rejects.toBeInstanceOf(
      WriterFencedError,
    )
    await expect(
      a.append(key, first.byteLength, chunks(randomBytes(MIN_PART_BYTES)), old),
    ).rejects.toMatchObject({
      code: 'WRITER_FENCED',
    })
    expect(await b.size(key)).toBe(first.byteLength)
    const second = randomBytes(20)
    expect(await b.append(key, first.byteLength, chunks(second), newer)).toBe(first.byteLength + 20)
    const all = Buffer.concat([first, second])
    expect(await b.finalize(key)).toEqual({ sizeBytes: all.byteLength, checksum: sha256(all) })
    expect((await collect(await a.read(key, null))).equals(all)).toBe(true)
    await f.database.db.deleteFrom('writer_leases').execute()
  })

  it('removes tail objects and uploads no record names, once past the grace period', async () => {
    const bucket = await f.freshBucket()
    const store = await f.store({ bucket })
    await store.append(key, 0, chunks(randomBytes(100)))
    const client = openS3Client({ ...f.s3, forcePathStyle: true })
    const { PutObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3')
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${key}.tail-9-deadbeef0000`, Body: 'x' }))
    expect(await store.sweepOrphans(new Date())).toEqual({ abortedUploads: 0, removedSegments: 0 })
    const later = new Date(Date.now() + 2 * 3_600_000)
    expect((await store.sweepOrphans(later)).removedSegments).toBe(1)
    const left = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
    expect(left.Contents?.map((o) => o.Key)).toEqual((await repo().find(key))?.tail.map((s) => s.name))
    expect(await store.size(key)).toBe(100)
    client.destroy()
  })

  it('removes every object of a blob on delete', async () => {
    const bucket = await f.freshBucket()
    const store = await f.store({ bucket })
    await store.append(key, 0, chunks(randomBytes(MIN_PART_BYTES + 5)))
    await store.delete(key)
    const client = openS3Client({ ...f.s3, forcePathStyle: true })
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3')
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).toEqual([])
    expect(await repo().find(key)).toBeNull()
    client.destroy()
  })

  it('refuses keys that are not UUIDs before any request', async () => {
    const store = await f.store()
    for (const k of ['../x', `${key}.tail-1-0`, '', `${key}/x`]) {
      await expect(store.append(k, 0, chunks())).rejects.toBeInstanceOf(TypeError)
      await expect(store.read(k, null)).rejects.toBeInstanceOf(TypeError)
    }
  })

  it('rejects with StorageWriteError when the S3 server dies mid-append, and counts only the stored bytes', async () => {
    const own = await startTestS3()
    try {
      if (own.kill === null) return
      const store = new S3BlobStore({
        client: openS3Client({ ...own, forcePathStyle: true, maxAttempts: 1 }),
        bucket: await own.newBucket(),
        uploads: repo(),
      })
      await f.database.db.deleteFrom('blob_uploads').execute()
      const stored = randomBytes(1000)
      expect(await store.append(key, 0, chunks(stored))).toBe(1000)
      const kill = own.kill
      async function* dying(): AsyncGenerator<Uint8Array> {
        yield randomBytes(MIN_PART_BYTES - 1000 - 1)
        await kill()
        yield randomBytes(10)
      }
      await expect(store.append(key, 1000, dying())).rejects.toBeInstanceOf(StorageWriteError)
      expect(await store.size(key)).toBe(1000)
    } finally {
      await own.dispose()
    }
  })
})
