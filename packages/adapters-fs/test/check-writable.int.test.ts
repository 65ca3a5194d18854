import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StorageWriteError } from '@rec/domain'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FsBlobStore } from '../src/index.js'
import { chunks, TempMedia } from './temp-media.js'

const key = '0b6a4c1e-8d2f-4e7a-9c3b-5f1d2e3a4b5d'

/** `chattr +i` refuses writes even to root (permission bits do not); why it cannot be used, or null. */
function chattrMissing(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'rec-chattr-'))
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' })
    execFileSync('chattr', ['-i', dir], { stdio: 'ignore' })
    return null
  } catch {
    return 'chattr +i does not work here (not installed, not root, or a file system without it)'
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const noChattr = chattrMissing()

describe('FsBlobStore.checkWritable and an immutable medium', () => {
  let media: TempMedia
  beforeEach(async () => {
    media = await TempMedia.create()
  })
  afterEach(async () => {
    execFileSync('chattr', ['-R', '-i', media.root], { stdio: 'ignore' })
    await media.dispose()
  })

  it('creates the directory, probes and leaves nothing behind', async () => {
    await media.store().checkWritable()
    expect(await readdir(media.dir)).toEqual([])
  })

  it('rejects when the directory cannot exist (ENOTDIR)', async () => {
    await writeFile(join(media.root, 'file'), '')
    await expect(
      new FsBlobStore({ dir: join(media.root, 'file', 'media') }).checkWritable(),
    ).rejects.toThrow()
  })

  it.skipIf(noChattr !== null)(
    `refuses probes and appends once the media is immutable, and takes them again after${noChattr ? ` (skipped: ${noChattr})` : ''}`,
    async () => {
      const store = media.store()
      await mkdir(media.dir)
      expect(await store.append(key, 0, chunks('abc'))).toBe(3)
      execFileSync('chattr', ['+i', media.dir, join(media.dir, `${key}.part`)])
      await expect(store.checkWritable()).rejects.toMatchObject({ code: 'EPERM' })
      // The cached descriptor is open for writing, and still refused.
      await expect(store.append(key, 3, chunks('def'))).rejects.toBeInstanceOf(StorageWriteError)
      expect(await store.size(key)).toBe(3)
      execFileSync('chattr', ['-i', media.dir, join(media.dir, `${key}.part`)])
      await store.checkWritable()
      expect(await store.append(key, 3, chunks('def'))).toBe(6)
      expect((await store.finalize(key)).sizeBytes).toBe(6)
    },
  )
})
