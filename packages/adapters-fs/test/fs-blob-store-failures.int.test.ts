import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, readdir, readlink, symlink, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageWriteError } from '@rec/domain'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FsBlobStore } from '../src/index.js'
import { chunks, sha256, TempMedia } from './temp-media.js'

const key = '0b6a4c1e-8d2f-4e7a-9c3b-5f1d2e3a4b5c'
// root ignores permission bits, so a read-only directory does not refuse it anything.
const isRoot = process.getuid?.() === 0
const hasProcFd = existsSync('/proc/self/fd')

/** Open descriptors of this process on `path` (Linux). */
async function openCount(path: string): Promise<number> {
  let count = 0
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(join('/proc/self/fd', fd)).catch(() => '')
    if (target === path) count++
  }
  return count
}

describe('FsBlobStore failures and resources', () => {
  let media: TempMedia
  beforeEach(async () => {
    media = await TempMedia.create()
  })
  afterEach(async () => {
    await media.dispose()
  })

  it('turns a media directory that cannot be created (ENOTDIR) into StorageWriteError', async () => {
    await writeFile(join(media.root, 'not-a-dir'), '')
    const store = new FsBlobStore({ dir: join(media.root, 'not-a-dir', 'media') })
    const failure = store.append(key, 0, chunks('abc'))
    await expect(failure).rejects.toBeInstanceOf(StorageWriteError)
    await expect(failure).rejects.toMatchObject({ cause: { code: 'ENOTDIR' } })
    expect(await store.size(key)).toBe(0)
    expect(await store.listUnfinished()).toEqual([])
    await store.close()
  })

  it.skipIf(isRoot)(
    'turns a read-only directory (EACCES) into StorageWriteError [skipped as root: permission bits do not bind root; the ENOTDIR case covers a refusing medium]',
    async () => {
      await mkdir(media.dir, { mode: 0o555 })
      try {
        const failure = media.store().append(key, 0, chunks('abc'))
        await expect(failure).rejects.toBeInstanceOf(StorageWriteError)
        await expect(failure).rejects.toMatchObject({ cause: { code: 'EACCES' } })
      } finally {
        await chmod(media.dir, 0o755)
      }
    },
  )

  it.skipIf(!existsSync('/dev/full'))(
    'turns a full disk (ENOSPC) into StorageWriteError and rebuilds its state afterwards',
    async () => {
      const store = media.store()
      await mkdir(media.dir)
      // /dev/full refuses every write with ENOSPC: the closest a test gets to a full disk.
      await symlink('/dev/full', join(media.dir, `${key}.part`))
      const failure = store.append(key, 0, chunks('abc'))
      await expect(failure).rejects.toBeInstanceOf(StorageWriteError)
      await expect(failure).rejects.toMatchObject({ cause: { code: 'ENOSPC' } })
      await unlink(join(media.dir, `${key}.part`))
      expect(await store.append(key, 0, chunks('abc'))).toBe(3)
      expect(await store.finalize(key)).toEqual({ sizeBytes: 3, checksum: sha256('abc') })
    },
  )

  it("rethrows the body's own error as-is, even one that looks like a system error", async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', errno: -104 })
    async function* dropped(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1, 2, 3])
      throw reset
    }
    const store = media.store()
    await expect(store.append(key, 0, dropped())).rejects.toBe(reset)
    expect(await store.size(key)).toBe(3)
  })

  it.skipIf(!hasProcFd)('closes a cached handle after idleHandleMs, and all of them on close()', async () => {
    const part = join(media.dir, `${key}.part`)
    const idle = media.store({ idleHandleMs: 50 })
    await idle.append(key, 0, chunks('abc'))
    expect(await openCount(part)).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await openCount(part)).toBe(0)
    expect(await idle.append(key, 3, chunks('def'))).toBe(6)

    const busy = media.store()
    await busy.append(key, 6, chunks('ghi'))
    expect(await openCount(part)).toBe(2)
    await idle.close()
    await busy.close()
    expect(await openCount(part)).toBe(0)
  })

  it('appends 64 MiB with flat memory and the right checksum, and re-hashes it after a restart', async () => {
    const chunk = Buffer.alloc(1024 * 1024)
    const total = 64 * chunk.byteLength
    const expected = createHash('sha256')
    let peak = 0
    const sample = (): void => {
      const { arrayBuffers, heapUsed } = process.memoryUsage()
      peak = Math.max(peak, arrayBuffers + heapUsed)
    }
    // One reused buffer: a store that kept references would store garbage, one that copied would grow.
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 64; i++) {
        chunk.fill(i * 7 + 1)
        expected.update(chunk)
        sample()
        yield chunk
      }
    }
    sample()
    const baseline = peak
    const timer = setInterval(sample, 1)
    try {
      expect(await media.store().append(key, 0, body())).toBe(total)
      // After a restart the hash is rebuilt by reading the 64 MiB back, 1 MiB at a time.
      const restarted = media.store()
      expect(await restarted.append(key, total, chunks('!'))).toBe(total + 1)
      expected.update('!')
      const stored = await restarted.finalize(key)
      sample()
      expect(peak - baseline).toBeLessThan(24 * 1024 * 1024)
      expect(stored).toEqual({ sizeBytes: total + 1, checksum: `sha256:${expected.digest('hex')}` })
    } finally {
      clearInterval(timer)
    }
  })
})
