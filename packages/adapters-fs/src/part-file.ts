import { createHash, type Hash } from 'node:crypto'
import type { Stats } from 'node:fs'
import { writev as writevCallback, writevSync } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'

/** Batches up to this size are written synchronously; larger ones by the thread pool. */
const WRITE_SYNC_BYTES = 32 * 1024

/** Writes at least this large are hashed while the thread pool writes them; smaller ones after. */
const HASH_WHILE_WRITING = 256 * 1024

/** Bytes read at a time when the hash is rebuilt from disk: memory stays flat for any size. */
const REBUILD_CHUNK = 1024 * 1024

/**
 * Write-back: once `WRITE_BACK_INTERVAL_MS` passed since the last one started and at least
 * `WRITE_BACK_MIN_BYTES` were written, the next write starts an `fdatasync` (not awaited), one at
 * a time per file. The kernel keeps dirty pages for up to 30 s, so without it the completion's
 * fsync wrote the whole recording at once: 50 tus uploads of 20 MiB finishing together waited
 * about a second for 1 GB to reach the disk (bench/NOTES.md). By time, not by size: one every
 * 8 MiB halved a 300 MB/s WebSocket flood (each `fdatasync` has a fixed cost, a journal commit
 * and a cache flush, whatever it writes).
 */
const WRITE_BACK_MIN_BYTES = 1024 * 1024
const WRITE_BACK_INTERVAL_MS = 1000
/**
 * Write-backs in flight in the process at most: each holds one of libuv's 4 pool threads, which
 * the large appends need too (8 parallel uploads, each starting its own, wrote 5 % slower).
 */
const MAX_WRITE_BACKS = 2
let writeBacksInFlight = 0

/**
 * An open `.part` file and the running sha256 of exactly its bytes, kept between appends so a
 * stream of many appends never re-reads what it wrote. The hash only ever advances by bytes the
 * OS reported written; after a failed write the caller drops the object and rebuilds from disk.
 */
export class PartFile {
  readonly #handle: FileHandle
  #hash: Hash
  readonly #ino: number
  readonly #dev: number
  #size: number
  /** The size when the last write-back started, and when (performance.now()). */
  #writeBackFrom: number
  #writeBackAt = performance.now()
  #writingBack: Promise<void> | null = null
  /**
   * A write-back's failure, reported by the next `sync` or `datasync`: Linux clears a file's
   * write error once an fsync has reported it, so a later fsync could succeed over lost pages.
   */
  #writeBackError: unknown = null
  #writeBacks = 0

  private constructor(handle: FileHandle, hash: Hash, stats: Stats, size: number) {
    this.#handle = handle
    this.#hash = hash
    this.#ino = stats.ino
    this.#dev = stats.dev
    this.#size = size
    this.#writeBackFrom = size
  }

  /** Opens (creating if needed) the file for appending and hashes what it already holds, once. */
  static async open(path: string): Promise<PartFile> {
    // 'a+': every write lands at the end even if our idea of the size were stale; readable for the hash.
    const handle = await open(path, 'a+', 0o600)
    try {
      const stats = await handle.stat()
      const hash = createHash('sha256')
      const size = await hashPrefix(handle, hash, stats.size)
      return new PartFile(handle, hash, stats, size)
    } catch (error) {
      await handle.close().catch(() => undefined)
      throw error
    }
  }

  get size(): number {
    return this.#size
  }

  /** Write-backs started so far. */
  get writeBacks(): number {
    return this.#writeBacks
  }

  /**
   * True while `stats` (of the path, taken just now) describe this very file at the size we know:
   * false when another process appended to it, truncated it or replaced it.
   */
  matches(stats: Stats): boolean {
    return stats.ino === this.#ino && stats.dev === this.#dev && stats.size === this.#size
  }

  /**
   * Writes every byte of `chunks`, in order, with as few system calls as the OS allows (one
   * `writev` for the lot, usually); resolves once the OS has them. Nothing is copied: a batch of
   * frames goes to the kernel as it arrived. A large batch is hashed while the thread pool writes
   * it, so a single stream's hashing and writing overlap instead of taking turns (should the OS
   * take fewer bytes, the hash goes back to a copy of its state before this write and advances
   * by exactly what was written); a small one is hashed after the write, which needs no copy of
   * the hash state (2 µs a frame at 2,000 streams, bench/NOTES.md).
   */
  async write(chunks: readonly Uint8Array[]): Promise<void> {
    // A failed write-back means pages written earlier may not be on disk: no further append.
    if (this.#writeBackError !== null) throw this.#writeBackError
    await this.#write(chunks)
    this.#writeBack()
  }

  async #write(chunks: readonly Uint8Array[]): Promise<void> {
    let rest = chunks.every((chunk) => chunk.byteLength > 0)
      ? chunks
      : chunks.filter((chunk) => chunk.byteLength > 0)
    while (rest.length > 0) {
      let offered = 0
      for (const chunk of rest) offered += chunk.byteLength
      if (offered <= WRITE_SYNC_BYTES) {
        // A small batch (a frame or two of a paced stream) is written on this thread: the
        // system call copies it into the page cache in a few microseconds, less than handing it
        // to the thread pool and taking the callback back costs (writeBuffers + FSReqCallback
        // were a third of the main thread at 2,000 streams, bench/NOTES.md). Durable exactly as
        // far as an asynchronous write is.
        const written = writevSync(this.#handle.fd, rest as Uint8Array[])
        this.#size += written
        rest = this.#advance(rest, written)
        continue
      }
      if (offered < HASH_WHILE_WRITING) {
        const written = await writev(this.#handle.fd, rest)
        this.#size += written
        rest = this.#advance(rest, written)
        continue
      }
      const before = this.#hash.copy()
      const writing = writev(this.#handle.fd, rest)
      for (const chunk of rest) this.#hash.update(chunk)
      let written: number
      try {
        written = await writing
      } catch (error) {
        this.#hash = before
        throw error
      }
      this.#size += written
      if (written === offered) return
      this.#hash = before
      rest = this.#advance(rest, written)
    }
  }

  /** Hashes the first `written` bytes of `chunks` (what the OS took) and returns the rest. */
  #advance(chunks: readonly Uint8Array[], written: number): readonly Uint8Array[] {
    let left = written
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as Uint8Array
      if (left < chunk.byteLength) {
        if (left > 0) this.#hash.update(chunk.subarray(0, left))
        return [chunk.subarray(left), ...chunks.slice(i + 1)]
      }
      this.#hash.update(chunk)
      left -= chunk.byteLength
    }
    return []
  }

  /** Starts a write-back when it is due (see WRITE_BACK_INTERVAL_MS). */
  #writeBack(): void {
    if (this.#writingBack !== null || writeBacksInFlight >= MAX_WRITE_BACKS) return
    const dirty = this.#size - this.#writeBackFrom
    if (dirty < WRITE_BACK_MIN_BYTES) return
    const now = performance.now()
    if (now - this.#writeBackAt < WRITE_BACK_INTERVAL_MS) return
    this.#writeBackFrom = this.#size
    this.#writeBackAt = now
    this.#writeBacks++
    writeBacksInFlight++
    this.#writingBack = this.#handle.datasync().then(
      () => {
        writeBacksInFlight--
        this.#writingBack = null
      },
      (error: unknown) => {
        writeBacksInFlight--
        this.#writeBackError ??= error
        this.#writingBack = null
      },
    )
  }

  /** After the write-back in flight, if any; rejects with a write-back's failure. */
  async #afterWriteBack(): Promise<void> {
    if (this.#writingBack !== null) await this.#writingBack
    if (this.#writeBackError !== null) throw this.#writeBackError
  }

  async datasync(): Promise<void> {
    await this.#afterWriteBack()
    return this.#handle.datasync()
  }

  async sync(): Promise<void> {
    await this.#afterWriteBack()
    return this.#handle.sync()
  }

  /** Hex sha256 of every byte. Ends the hash: call it last, just before `close`. */
  digest(): string {
    return this.#hash.digest('hex')
  }

  async close(): Promise<void> {
    if (this.#writingBack !== null) await this.#writingBack
    return this.#handle.close()
  }
}

/** Feeds the first `size` bytes of the file to `hash`; resolves with how many there were. */
async function hashPrefix(handle: FileHandle, hash: Hash, size: number): Promise<number> {
  if (size === 0) return 0
  const buffer = Buffer.allocUnsafe(Math.min(REBUILD_CHUNK, size))
  let read = 0
  while (read < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.byteLength, size - read), read)
    // The file shrank under us; the size we return is the one the hash covers.
    if (bytesRead === 0) break
    hash.update(buffer.subarray(0, bytesRead))
    read += bytesRead
  }
  return read
}

/**
 * `writev` at the end of the file (opened 'a+'), resolving with the bytes the OS took. The
 * callback API on the handle's descriptor: FileHandle.writev's own wrapper cost 5 µs a frame at
 * 2,000 streams (bench/NOTES.md). The handle is never closed while its owner writes.
 */
function writev(fd: number, chunks: readonly Uint8Array[]): Promise<number> {
  return new Promise((resolve, reject) => {
    writevCallback(fd, chunks as Uint8Array[], (error, written) => (error ? reject(error) : resolve(written)))
  })
}
