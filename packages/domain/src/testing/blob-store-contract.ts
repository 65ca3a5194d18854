import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BlobNotFoundError, OffsetMismatchError } from '../errors.js'
import type { BlobStore } from '../ports/blob-store.js'
import { platform } from './platform.js'

export interface BlobStoreFixture {
  readonly store: BlobStore
  close(): Promise<void>
}

const text = (s: string): Uint8Array => new platform.TextEncoder().encode(s)
async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield text(p)
}
async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = ''
  const decoder = new platform.TextDecoder()
  for await (const c of body) out += decoder.decode(c, { stream: true })
  return out + decoder.decode()
}
const SHA256_ABCDEF = 'sha256:bef57ec7f53a6d40beb640a780a639c83bc29ac8a9816f1fc6c5c6dcd93c4721'
const SHA256_EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** The behaviour every BlobStore must have; each adapter's tests call it. */
export function runBlobStoreContract(name: string, make: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fx: BlobStoreFixture
    const key = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a0001'
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('appends at the stored offset and reports the size', async () => {
      expect(await fx.store.size(key)).toBe(0)
      expect(await fx.store.append(key, 0, chunks('ab', 'c'))).toBe(3)
      expect(await fx.store.append(key, 3, chunks('def'))).toBe(6)
      expect(await fx.store.size(key)).toBe(6)
    })

    it('appends chunks already in memory (a batch of frames) as it appends a stream', async () => {
      expect(await fx.store.append(key, 0, [text('ab'), text(''), text('c')])).toBe(3)
      await expect(fx.store.append(key, 2, [text('x')])).rejects.toBeInstanceOf(OffsetMismatchError)
      expect(await fx.store.append(key, 3, [text('def')])).toBe(6)
      expect(await fx.store.finalize(key)).toEqual({ sizeBytes: 6, checksum: SHA256_ABCDEF })
    })

    it('keeps none of an array body once the append settled: its buffers may be reused', async () => {
      const pool = new Uint8Array(4)
      const frame = (s: string): Uint8Array => {
        const bytes = pool.subarray(0, s.length)
        bytes.set(text(s))
        return bytes
      }
      expect(await fx.store.append(key, 0, [frame('ab')])).toBe(2)
      expect(await fx.store.append(key, 2, [frame('cd')])).toBe(4)
      pool.fill(0x21)
      expect(await fx.store.append(key, 4, [frame('ef')])).toBe(6)
      pool.fill(0x21)
      expect(await fx.store.finalize(key)).toEqual({ sizeBytes: 6, checksum: SHA256_ABCDEF })
      expect(await collect(await fx.store.read(key, null))).toBe('abcdef')
    })

    it('prepares a blob for appends, if it can, resolving with its size', async () => {
      if (!fx.store.prepare) return
      expect(await fx.store.prepare(key)).toBe(0)
      expect(await fx.store.append(key, 0, [text('abc')])).toBe(3)
      expect(await fx.store.prepare(key)).toBe(3)
      expect(await fx.store.size(key)).toBe(3)
      expect(await fx.store.append(key, 3, chunks('def'))).toBe(6)
      expect(await fx.store.finalize(key)).toEqual({ sizeBytes: 6, checksum: SHA256_ABCDEF })
      expect(await fx.store.prepare(key)).toBe(6)
    })

    it('rejects an append at another offset and keeps the bytes', async () => {
      await fx.store.append(key, 0, chunks('abc'))
      await expect(fx.store.append(key, 2, chunks('x'))).rejects.toBeInstanceOf(OffsetMismatchError)
      await expect(fx.store.append(key, 4, chunks('x'))).rejects.toMatchObject({ expected: 3, received: 4 })
      expect(await fx.store.size(key)).toBe(3)
    })

    it('keeps what was written before the body failed', async () => {
      async function* broken(): AsyncGenerator<Uint8Array> {
        yield text('abc')
        throw new Error('client went away')
      }
      await expect(fx.store.append(key, 0, broken())).rejects.toThrow('client went away')
      expect(await fx.store.size(key)).toBe(3)
      expect(await fx.store.append(key, 3, chunks('def'))).toBe(6)
      expect(await fx.store.finalize(key)).toEqual({ sizeBytes: 6, checksum: SHA256_ABCDEF })
    })

    it('finalizes with the sha256 of every byte, again idempotently', async () => {
      await fx.store.append(key, 0, chunks('abc'))
      await fx.store.append(key, 3, chunks('d', 'ef'))
      const stored = await fx.store.finalize(key)
      expect(stored).toEqual({ sizeBytes: 6, checksum: SHA256_ABCDEF })
      expect(await fx.store.finalize(key)).toEqual(stored)
      expect(await fx.store.size(key)).toBe(6)
      expect(await fx.store.listUnfinished()).not.toContain(key)
    })

    it('finalizes an empty blob', async () => {
      expect(await fx.store.finalize(key)).toEqual({ sizeBytes: 0, checksum: SHA256_EMPTY })
      expect(await collect(await fx.store.read(key, null))).toBe('')
    })

    it('refuses appends to a finished blob', async () => {
      await fx.store.append(key, 0, chunks('abc'))
      await fx.store.finalize(key)
      await expect(fx.store.append(key, 3, chunks('x'))).rejects.toBeInstanceOf(OffsetMismatchError)
    })

    it('reads the whole blob or an inclusive range', async () => {
      await fx.store.append(key, 0, chunks('abcdef'))
      await fx.store.finalize(key)
      expect(await collect(await fx.store.read(key, null))).toBe('abcdef')
      expect(await collect(await fx.store.read(key, { start: 1, end: 3 }))).toBe('bcd')
      expect(await collect(await fx.store.read(key, { start: 5, end: 5 }))).toBe('f')
    })

    it('lists unfinished blobs and deletes in both states', async () => {
      const other = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a0002'
      await fx.store.append(key, 0, chunks('abc'))
      await fx.store.append(other, 0, chunks('abc'))
      await fx.store.finalize(other)
      expect(await fx.store.listUnfinished()).toEqual([key])
      await fx.store.delete(key)
      await fx.store.delete(other)
      expect(await fx.store.size(key)).toBe(0)
      expect(await fx.store.size(other)).toBe(0)
      await expect(fx.store.read(other, null)).rejects.toThrow()
      await fx.store.delete(other)
    })

    it('rejects a read of a missing, unfinished or deleted blob with the domain’s BlobNotFoundError', async () => {
      await expect(fx.store.read(key, null)).rejects.toBeInstanceOf(BlobNotFoundError)
      await fx.store.append(key, 0, chunks('abc'))
      await expect(fx.store.read(key, null)).rejects.toBeInstanceOf(BlobNotFoundError)
      await fx.store.finalize(key)
      await fx.store.delete(key)
      await expect(fx.store.read(key, { start: 0, end: 1 })).rejects.toMatchObject({
        code: 'BLOB_NOT_FOUND',
        key,
      })
    })

    it('removes only the unfinished blob, never a finished one', async () => {
      const other = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a0003'
      await fx.store.append(key, 0, chunks('abc'))
      await fx.store.append(other, 0, chunks('abcdef'))
      await fx.store.finalize(other)
      await fx.store.removeUnfinished(key)
      await fx.store.removeUnfinished(other)
      await fx.store.removeUnfinished('6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a0004')
      expect(await fx.store.listUnfinished()).toEqual([])
      expect(await fx.store.size(key)).toBe(0)
      expect(await collect(await fx.store.read(other, null))).toBe('abcdef')
      // The key starts over from nothing.
      expect(await fx.store.append(key, 0, chunks('x'))).toBe(1)
    })

    it('streams a large body through in order', async () => {
      const part = new Uint8Array(64 * 1024)
      async function* many(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 64; i++) yield part.map((_, j) => (i + j) & 0xff)
      }
      expect(await fx.store.append(key, 0, many())).toBe(64 * 64 * 1024)
      await fx.store.finalize(key)
      let at = 0
      for await (const c of await fx.store.read(key, null)) {
        for (let j = 0; j < c.byteLength; j += 4099) {
          const i = Math.floor((at + j) / part.byteLength)
          expect(c[j]).toBe((i + ((at + j) % part.byteLength)) & 0xff)
        }
        at += c.byteLength
      }
      expect(at).toBe(64 * 64 * 1024)
    })
  })
}
