import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageWriteError } from '@rec/domain'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TempMedia } from './temp-media.js'

const key = '5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'
const MiB = 1024 * 1024

/** The prototype of `fs/promises` FileHandles, whose `datasync` the store's write-back calls. */
async function fileHandlePrototype(dir: string): Promise<{ datasync: () => Promise<void> }> {
  const handle = await open(join(dir, '.probe'), 'w')
  const proto = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> }
  await handle.close()
  return proto
}

/** `count` chunks of 256 KiB, the bytes told apart by position; `hash` sees each. */
async function* body(count: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) {
    const chunk = new Uint8Array(256 * 1024).fill((i * 13 + 1) & 0xff)
    hash.update(chunk)
    yield chunk
  }
}

describe('FsBlobStore write-back behind appends', () => {
  let media: TempMedia
  beforeEach(async () => {
    media = await TempMedia.create()
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await media.dispose()
  })

  it('starts write-back while a large body is stored, and a write-back that failed fails the finalize instead of being forgotten', async () => {
    const proto = await fileHandlePrototype(media.root)
    const original = proto.datasync
    let calls = 0
    vi.spyOn(proto, 'datasync').mockImplementation(function (this: unknown) {
      calls++
      // The first write-back meets a failing medium; fsync after it may well succeed (Linux).
      if (calls === 1)
        return Promise.reject(
          Object.assign(new Error('EIO: i/o error, fdatasync'), {
            code: 'EIO',
            errno: -5,
            syscall: 'fdatasync',
          }),
        )
      return original.call(this)
    })
    const store = media.store({ topology: 'single' })
    const hash = createHash('sha256')
    // 40 MiB in one streamed body: write-back starts every 16 MiB, without waiting for it.
    expect(await store.append(key, 0, body(160, hash))).toBe(40 * MiB)
    expect(calls).toBeGreaterThanOrEqual(2)
    const failed = store.finalize(key)
    await expect(failed).rejects.toBeInstanceOf(StorageWriteError)
    await expect(failed).rejects.toMatchObject({ cause: { code: 'EIO' } })
    // Nothing was published: the upload is still unfinished, every byte still there to retry.
    expect(existsSync(join(media.dir, key))).toBe(false)
    expect(await store.size(key)).toBe(40 * MiB)
    expect(await store.finalize(key)).toEqual({
      sizeBytes: 40 * MiB,
      checksum: `sha256:${hash.digest('hex')}`,
    })
  })
})
