import { randomUUID } from 'node:crypto'
import { type FileHandle, mkdir, open, readdir, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BlobRange, BlobStore, ByteChunks, StoredBlob, Topology, WriterLease } from '@rec/domain'
import { isChunkArray, KeyedMutex, OffsetMismatchError } from '@rec/domain'
import { type BlobPaths, blobKey, blobPaths, unfinishedKey } from './blob-key.js'
import { asStorageError, BlobNotFoundError, isSystemError, storageStep } from './errors.js'
import { hashFile, readSidecar, syncDir, writeSidecar } from './finished-blob.js'
import { statOrNull, unlinkIfPresent } from './fs-steps.js'
import { PartCache, release } from './part-cache.js'
import { PartFile } from './part-file.js'
import { WriteBuffers, writeStreamed } from './streamed-body.js'

export interface FsBlobStoreOptions {
  /** Directory that holds the media; created (recursively) when the first blob is. */
  readonly dir: string
  /** fdatasync before an append resolves, so acked bytes survive a power loss, not only a crash. */
  readonly syncOnAppend?: boolean
  /** Close a blob's cached file handle after this long without an append. */
  readonly idleHandleMs?: number
  /**
   * `single`: this process is the only writer of `dir`, so a cached handle is trusted without a
   * `stat` of its path on every append, which at 2,000 streams was a thread-pool round trip per
   * frame. `shared` (the default): several instances share the directory, and each append checks.
   */
  readonly topology?: Topology
  /**
   * Guards each append that carries a fence (WriterLease.guard): a writer whose lease was taken by
   * a newer one (on any instance sharing the directory) is refused, and a take waits for an append
   * in flight under the old token, so no stale byte lands past the offset the new writer read.
   */
  readonly lease?: WriterLease | null
}

/**
 * BlobStore on a local file system: `<dir>/<key>.part` while appendable, renamed to `<dir>/<key>`
 * (with its figures in `<dir>/<key>.sha256`) by `finalize`. Appends, finalize and delete of one
 * key run one after another; an open handle and the running sha256 are kept per key between
 * appends and rebuilt from disk when missing (restart) or stale (another process wrote).
 */
export class FsBlobStore implements BlobStore {
  readonly #dir: string
  readonly #lease: WriterLease | null
  readonly #syncOnAppend: boolean
  readonly #exclusive: boolean
  readonly #mutex = new KeyedMutex()
  readonly #parts: PartCache
  readonly #buffers = new WriteBuffers()
  /** Bumped by `close()`, so an append that was running then does not cache its handle again. */
  #epoch = 0

  constructor({
    dir,
    syncOnAppend = false,
    idleHandleMs = 30_000,
    topology = 'shared',
    lease = null,
  }: FsBlobStoreOptions) {
    this.#dir = dir
    this.#lease = lease
    this.#syncOnAppend = syncOnAppend
    this.#exclusive = topology === 'single'
    this.#parts = new PartCache(idleHandleMs)
  }

  async append(key: string, offset: number, body: ByteChunks, fence?: number): Promise<number> {
    const k = blobKey(key)
    const lease = this.#lease
    if (fence === undefined || !lease) return this.#mutex.run(k, () => this.#append(k, offset, body))
    // The write runs inside the guard: no newer writer's take completes while it lands.
    return this.#mutex.run(k, () => lease.guard(k, fence, () => this.#append(k, offset, body)))
  }

  async size(key: string): Promise<number> {
    // The only writer of the directory knows the size of a part file it holds open, exactly.
    const cached = this.#exclusive ? this.#parts.peek(blobKey(key)) : null
    if (cached) return cached.size
    const paths = this.#paths(key)
    const found = (await statOrNull(paths.part)) ?? (await statOrNull(paths.final))
    return found?.size ?? 0
  }

  async finalize(key: string): Promise<StoredBlob> {
    const k = blobKey(key)
    return this.#mutex.run(k, () => this.#finalize(k))
  }

  async read(key: string, range: BlobRange | null): Promise<AsyncIterable<Uint8Array>> {
    const k = blobKey(key)
    let handle: FileHandle
    try {
      // Opened before streaming: a delete racing the read cannot cut it short.
      handle = await open(this.#paths(k).final, 'r')
    } catch (error) {
      throw isSystemError(error, 'ENOENT', 'ENOTDIR') ? new BlobNotFoundError(k) : error
    }
    try {
      // The stream closes the handle when it ends, fails or the consumer stops early.
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {})
    } catch (error) {
      // A range the stream refuses (start past end) must not leak the handle.
      await handle.close()
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    const k = blobKey(key)
    await this.#mutex.run(k, async () => {
      release(this.#parts.take(k))
      const paths = this.#paths(k)
      // The published name first: once it is gone no reader can find a half-deleted blob.
      for (const path of [paths.final, paths.part, paths.sidecar]) await unlinkIfPresent(path)
    })
  }

  async removeUnfinished(key: string): Promise<void> {
    const k = blobKey(key)
    await this.#mutex.run(k, async () => {
      release(this.#parts.take(k))
      await unlinkIfPresent(this.#paths(k).part)
    })
  }

  /**
   * Creates and removes a probe file in the media directory; rejects when it does not take new
   * files (read-only, immutable, gone, full inodes). For readiness checks; the probe's name is
   * never a blob's, so the janitor and `listUnfinished` ignore a leftover one.
   */
  async checkWritable(): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    const probe = join(this.#dir, `.probe-${randomUUID()}`)
    await writeFile(probe, 'ok', { mode: 0o600 })
    await unlink(probe)
  }

  async listUnfinished(): Promise<readonly string[]> {
    let names: string[]
    try {
      names = await readdir(this.#dir)
    } catch (error) {
      if (isSystemError(error, 'ENOENT', 'ENOTDIR')) return []
      throw error
    }
    return names.flatMap((name) => unfinishedKey(name) ?? []).sort()
  }

  /** Closes every cached handle; the store stays usable and reopens files on demand. */
  async close(): Promise<void> {
    this.#epoch++
    await this.#parts.closeAll()
  }

  async #append(key: string, offset: number, body: ByteChunks): Promise<number> {
    const part = this.#cachedPartAt(key, offset) ?? (await this.#partAt(key, offset))
    const epoch = this.#epoch
    let intact = true
    const write = (chunks: readonly Uint8Array[]): Promise<void> =>
      part.write(chunks).catch((error: unknown) => {
        // Part of the chunks may be on disk: only a re-read can tell, so the hash must go.
        intact = false
        throw asStorageError(error)
      })
    try {
      if (isChunkArray(body)) {
        // Frames already in memory (a WebSocket batch) go in one vectored write as they are.
        await write(body)
      } else {
        await writeStreamed(body, write, this.#buffers)
      }
      if (this.#syncOnAppend) {
        await part.datasync().catch((error: unknown) => {
          intact = false
          throw asStorageError(error)
        })
      }
      return part.size
    } finally {
      // After a body error the bytes written so far and the hash still agree: keep both.
      if (intact && epoch === this.#epoch) this.#parts.keep(key, part)
      else release(part)
    }
  }

  /**
   * The cached part file when this process is the directory's only writer and it is at `offset`:
   * no `stat`, no path, no promise (the path of every frame of an attached stream).
   */
  #cachedPartAt(key: string, offset: number): PartFile | null {
    if (!this.#exclusive) return null
    const cached = this.#parts.take(key)
    return cached ? this.#ensureOffset(key, cached, offset) : null
  }

  /**
   * Opens the key's part file (creating it) and caches it, so the first append of a stream finds
   * it open: at 2,000 streams attaching at once, the opens of the first frames queued behind
   * thousands of thread-pool writes (bench/NOTES.md). Resolves with the stored size, as `size`.
   */
  async prepare(key: string): Promise<number> {
    const k = blobKey(key)
    return this.#mutex.run(k, async () => {
      const cached = this.#parts.take(k)
      if (cached && this.#exclusive) {
        this.#parts.keep(k, cached)
        return cached.size
      }
      release(cached)
      const epoch = this.#epoch
      const paths = this.#paths(k)
      const stats = await storageStep(() => statOrNull(paths.part))
      if (!stats) {
        const finished = await storageStep(() => statOrNull(paths.final))
        if (finished) return finished.size
      }
      const part = await this.#openPart(paths, stats === null && this.#syncOnAppend)
      if (epoch === this.#epoch) this.#parts.keep(k, part)
      else release(part)
      return part.size
    })
  }

  /** The key's part file, ready to take bytes at `offset`; rejects with OffsetMismatchError otherwise. */
  async #partAt(key: string, offset: number): Promise<PartFile> {
    const paths = this.#paths(key)
    const cached = this.#parts.take(key)
    const stats = await storageStep(() => statOrNull(paths.part))
    if (cached && stats && cached.matches(stats)) return this.#ensureOffset(key, cached, offset)
    release(cached)
    // Reject before creating a file or re-reading a large one for the hash.
    if (!stats) {
      const finished = await storageStep(() => statOrNull(paths.final))
      if (finished) throw new OffsetMismatchError(finished.size, offset)
      if (offset !== 0) throw new OffsetMismatchError(0, offset)
    } else if (offset !== stats.size) {
      throw new OffsetMismatchError(stats.size, offset)
    }
    const part = await this.#openPart(paths, stats === null && this.#syncOnAppend)
    return this.#ensureOffset(key, part, offset)
  }

  #ensureOffset(key: string, part: PartFile, offset: number): PartFile {
    if (offset === part.size) return part
    this.#parts.keep(key, part)
    throw new OffsetMismatchError(part.size, offset)
  }

  async #openPart(paths: BlobPaths, syncNewName: boolean): Promise<PartFile> {
    return storageStep(async () => {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 })
      const part = await PartFile.open(paths.part)
      if (syncNewName)
        await syncDir(this.#dir).catch(async (error: unknown) => {
          await part.close().catch(() => undefined)
          throw error
        })
      return part
    })
  }

  async #finalize(key: string): Promise<StoredBlob> {
    const paths = this.#paths(key)
    const cached = this.#parts.take(key)
    const stats = await storageStep(() => statOrNull(paths.part))
    if (!stats) {
      release(cached)
      const finished = await storageStep(() => statOrNull(paths.final))
      if (finished) return (await readSidecar(paths.sidecar, finished.size)) ?? hashFile(paths.final)
    }
    const reuse = cached && stats && cached.matches(stats)
    if (!reuse) release(cached)
    const part = reuse ? cached : await this.#openPart(paths, false)
    try {
      return await storageStep(async () => {
        await part.sync()
        const stored = { sizeBytes: part.size, checksum: `sha256:${part.digest()}` }
        await writeSidecar(paths.sidecar, stored)
        await rename(paths.part, paths.final)
        await syncDir(this.#dir)
        return stored
      })
    } finally {
      release(part)
    }
  }

  #paths(key: string): BlobPaths {
    return blobPaths(this.#dir, blobKey(key))
  }
}
