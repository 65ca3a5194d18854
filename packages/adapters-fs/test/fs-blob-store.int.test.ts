import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OffsetMismatchError, WriterFencedError } from '@rec/domain'
import { MemoryWriterLease, runBlobStoreContract } from '@rec/domain/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BlobNotFoundError } from '../src/index.js'
import { chunks, collect, sha256, TempMedia } from './temp-media.js'

runBlobStoreContract('fs', async () => {
  const media = await TempMedia.create()
  return { store: media.store(), close: () => media.dispose() }
})

runBlobStoreContract('fs (syncOnAppend)', async () => {
  const media = await TempMedia.create()
  return { store: media.store({ syncOnAppend: true }), close: () => media.dispose() }
})

runBlobStoreContract('fs (single topology: no stat per append)', async () => {
  const media = await TempMedia.create()
  return { store: media.store({ topology: 'single' }), close: () => media.dispose() }
})

const key = '0b6a4c1e-8d2f-4e7a-9c3b-5f1d2e3a4b5c'
const other = '0b6a4c1e-8d2f-4e7a-9c3b-5f1d2e3a4b5d'

describe('FsBlobStore', () => {
  let media: TempMedia
  beforeEach(async () => {
    media = await TempMedia.create()
  })
  afterEach(async () => {
    await media.dispose()
  })

  it('creates the directory on first use and lays blobs out as <key>.part, then <key> + <key>.sha256', async () => {
    const store = media.store()
    expect(await readdir(media.root)).toEqual([])
    await store.append(key, 0, chunks('abc'))
    expect(await readdir(media.dir)).toEqual([`${key}.part`])
    const stored = await store.finalize(key)
    expect((await readdir(media.dir)).sort()).toEqual([key, `${key}.sha256`])
    expect(await readFile(join(media.dir, key), 'utf8')).toBe('abc')
    expect(JSON.parse(await readFile(join(media.dir, `${key}.sha256`), 'utf8'))).toEqual(stored)
  })

  it('resumes after a restart: a new store continues the .part and checksums every byte', async () => {
    const all = randomBytes(3 * 1024 * 1024 + 17)
    const cut = 1024 * 1024 + 5
    const before = media.store()
    expect(await before.append(key, 0, chunks(all.subarray(0, 1000), all.subarray(1000, cut)))).toBe(cut)
    // No close(): a killed process never gets to tidy up.
    const after = media.store()
    expect(await after.size(key)).toBe(cut)
    await expect(after.append(key, 0, chunks('x'))).rejects.toMatchObject({ expected: cut, received: 0 })
    expect(await after.append(key, cut, chunks(all.subarray(cut)))).toBe(all.byteLength)
    expect(await after.finalize(key)).toEqual({ sizeBytes: all.byteLength, checksum: sha256(all) })
    expect((await collect(await after.read(key, null))).equals(all)).toBe(true)
  })

  it('gathers uneven chunks into vectored writes: every byte in order, hashed once, even when the body fails', async () => {
    const all = randomBytes(5 * 1024 * 1024 + 333)
    // Views into one buffer, empty ones, tiny ones and some larger than a gathered write.
    const sizes = [0, 1, 7, 65_536, 0, 1_500_000, 3, 300_000, 2_100_000, 17]
    const pieces: Uint8Array[] = []
    for (let at = 0, i = 0; at < all.byteLength; i++) {
      const size = Math.min(sizes[i % sizes.length] ?? 1, all.byteLength - at)
      pieces.push(all.subarray(at, at + size))
      at += size
    }
    const cut = pieces.length - 3
    const sent = pieces.slice(0, cut).reduce((n, p) => n + p.byteLength, 0)
    async function* dropped(): AsyncGenerator<Uint8Array> {
      yield* pieces.slice(0, cut)
      throw new Error('client went away')
    }
    const store = media.store({ topology: 'single' })
    await expect(store.append(key, 0, dropped())).rejects.toThrow('client went away')
    expect(await store.size(key)).toBe(sent)
    expect(await store.append(key, sent, chunks(...pieces.slice(cut)))).toBe(all.byteLength)
    expect(await store.finalize(key)).toEqual({ sizeBytes: all.byteLength, checksum: sha256(all) })
    expect((await collect(await store.read(key, null))).equals(all)).toBe(true)
  })

  it('rebuilds its hash when another instance appended to the .part', async () => {
    const first = media.store()
    const second = media.store()
    await first.append(key, 0, chunks('abc'))
    await second.append(key, 3, chunks('def'))
    await expect(first.append(key, 3, chunks('x'))).rejects.toMatchObject({ expected: 6, received: 3 })
    expect(await first.append(key, 6, chunks('ghi'))).toBe(9)
    expect(await first.finalize(key)).toEqual({ sizeBytes: 9, checksum: sha256('abcdefghi') })
  })

  it('rejects an append to a finished blob with OffsetMismatchError, even at its size', async () => {
    const store = media.store()
    await store.append(key, 0, chunks('abc'))
    await store.finalize(key)
    await expect(store.append(key, 3, chunks('x'))).rejects.toBeInstanceOf(OffsetMismatchError)
    await expect(media.store().append(key, 3, chunks('x'))).rejects.toBeInstanceOf(OffsetMismatchError)
    expect(await readdir(media.dir)).not.toContain(`${key}.part`)
  })

  it('runs concurrent appends to one key one after another: the loser gets OffsetMismatchError', async () => {
    const store = media.store()
    const results = await Promise.allSettled([
      store.append(key, 0, chunks('abc')),
      store.append(key, 0, chunks('xyz')),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
    expect(await store.finalize(key)).toEqual({ sizeBytes: 3, checksum: sha256('abc') })
  })

  it('treats a key in upper case as the same blob', async () => {
    const store = media.store()
    await store.append(key.toUpperCase(), 0, chunks('abc'))
    expect(await store.size(key)).toBe(3)
    expect(await store.listUnfinished()).toEqual([key])
  })

  it('finalizes again from the sidecar, or by re-reading the blob when the sidecar is gone or torn', async () => {
    const store = media.store()
    await store.append(key, 0, chunks('abcdef'))
    const stored = { sizeBytes: 6, checksum: sha256('abcdef') }
    expect(await store.finalize(key)).toEqual(stored)
    const sidecar = join(media.dir, `${key}.sha256`)
    await writeFile(sidecar, '{"sizeBytes":6,"checksum":"sha2')
    expect(await store.finalize(key)).toEqual(stored)
    await rm(sidecar)
    expect(await media.store().finalize(key)).toEqual(stored)
  })

  it('lists only <uuid>.part files as unfinished, and none before the directory exists', async () => {
    const store = media.store()
    expect(await store.listUnfinished()).toEqual([])
    await mkdir(media.dir)
    for (const name of ['notes.part', `${other}.part.tmp`, `${other}.sha256`, other, '.part']) {
      await writeFile(join(media.dir, name), '')
    }
    await store.append(key, 0, chunks('a'))
    expect(await store.listUnfinished()).toEqual([key])
  })

  it('rejects a read of an unfinished or missing blob with BlobNotFoundError', async () => {
    const store = media.store()
    await expect(store.read(key, null)).rejects.toBeInstanceOf(BlobNotFoundError)
    await store.append(key, 0, chunks('abc'))
    await expect(store.read(key, null)).rejects.toBeInstanceOf(BlobNotFoundError)
  })

  it('keeps streaming a read that a delete overtakes', async () => {
    const store = media.store()
    await store.append(key, 0, chunks('abcdef'))
    await store.finalize(key)
    const body = await store.read(key, { start: 2, end: 4 })
    await store.delete(key)
    expect((await collect(body)).toString()).toBe('cde')
    expect(await readdir(media.dir)).toEqual([])
  })

  describe('refuses keys that are not UUIDs before touching the file system', () => {
    const bad = [
      '../x',
      '..',
      'a/b',
      '/etc/passwd',
      `${key}/../../x`,
      `../${key}`,
      `${key}\0`,
      `${key}.part`,
      ` ${key}`,
      '',
    ]
    it.each(bad)('%j', async (k) => {
      const store = media.store()
      await expect(store.append(k, 0, chunks('x'))).rejects.toBeInstanceOf(TypeError)
      await expect(store.size(k)).rejects.toBeInstanceOf(TypeError)
      await expect(store.finalize(k)).rejects.toBeInstanceOf(TypeError)
      await expect(store.read(k, null)).rejects.toBeInstanceOf(TypeError)
      await expect(store.delete(k)).rejects.toBeInstanceOf(TypeError)
      expect(await readdir(media.root)).toEqual([])
    })
  })
})

describe('FsBlobStore with a writer lease (a shared volume)', () => {
  it('refuses an append whose fencing token a newer writer outdated, and stores none of it', async () => {
    const media = await TempMedia.create()
    try {
      const lease = new MemoryWriterLease()
      const a = media.store({ lease })
      const b = media.store({ lease })
      const old = await lease.take(key)
      expect(await a.append(key, 0, chunks('abc'), old)).toBe(3)
      const newer = await lease.take(key)
      await expect(a.append(key, 3, chunks('def'), old)).rejects.toBeInstanceOf(WriterFencedError)
      expect(await b.size(key)).toBe(3)
      expect(await b.append(key, 3, chunks('xyz'), newer)).toBe(6)
      await expect(a.append(key, 6, chunks('!'), old)).rejects.toMatchObject({
        code: 'WRITER_FENCED',
        fence: old,
      })
      expect(await b.finalize(key)).toEqual({ sizeBytes: 6, checksum: sha256('abcxyz') })
    } finally {
      await media.dispose()
    }
  })
})
