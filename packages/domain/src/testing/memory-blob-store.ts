import { BlobNotFoundError, OffsetMismatchError } from '../errors.js'
import { sha256Hex } from '../memory/web-crypto.js'
import type { BlobRange, BlobStore, StoredBlob } from '../ports/blob-store.js'
import type { WriterLease } from '../ports/writer-lease.js'

interface Entry {
  chunks: Uint8Array[]
  size: number
  finished: StoredBlob | null
}

/**
 * In-memory BlobStore. The checksum's digest is the platform's Web Crypto SHA-256 unless the
 * caller supplies another hex SHA-256 function; the contract suite checks it against SHA-256.
 */
export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Entry>()
  readonly #digest: (bytes: Uint8Array) => Promise<string>
  readonly #lease: WriterLease | null

  /** With `lease`, appends carrying an outdated fencing token are refused (WriterFencedError). */
  constructor(digest: (bytes: Uint8Array) => Promise<string> = sha256Hex, lease: WriterLease | null = null) {
    this.#digest = digest
    this.#lease = lease
  }

  async append(
    key: string,
    offset: number,
    body: AsyncIterable<Uint8Array>,
    fence?: number,
  ): Promise<number> {
    if (fence !== undefined && this.#lease) {
      return this.#lease.guard(key, fence, () => this.#append(key, offset, body))
    }
    return this.#append(key, offset, body)
  }

  async #append(key: string, offset: number, body: AsyncIterable<Uint8Array>): Promise<number> {
    const entry = this.#entry(key)
    if (entry.finished || offset !== entry.size) throw new OffsetMismatchError(entry.size, offset)
    for await (const chunk of body) {
      entry.chunks.push(chunk.slice())
      entry.size += chunk.byteLength
    }
    return entry.size
  }

  async size(key: string): Promise<number> {
    return this.#blobs.get(key)?.size ?? 0
  }

  async finalize(key: string): Promise<StoredBlob> {
    const entry = this.#entry(key)
    if (!entry.finished) {
      entry.finished = { sizeBytes: entry.size, checksum: `sha256:${await this.#digest(this.#bytes(entry))}` }
    }
    return entry.finished
  }

  async read(key: string, range: BlobRange | null): Promise<AsyncIterable<Uint8Array>> {
    const entry = this.#blobs.get(key)
    if (!entry?.finished) throw new BlobNotFoundError(key)
    const all = this.#bytes(entry)
    const part = range ? all.subarray(range.start, range.end + 1) : all
    return (async function* () {
      yield part
    })()
  }

  async delete(key: string): Promise<void> {
    this.#blobs.delete(key)
  }

  async removeUnfinished(key: string): Promise<void> {
    if (this.#blobs.get(key)?.finished === null) this.#blobs.delete(key)
  }

  async listUnfinished(): Promise<readonly string[]> {
    return [...this.#blobs].filter(([, e]) => !e.finished).map(([k]) => k)
  }

  #entry(key: string): Entry {
    let entry = this.#blobs.get(key)
    if (!entry) {
      entry = { chunks: [], size: 0, finished: null }
      this.#blobs.set(key, entry)
    }
    return entry
  }

  #bytes(entry: Entry): Uint8Array {
    const out = new Uint8Array(entry.size)
    let at = 0
    for (const c of entry.chunks) {
      out.set(c, at)
      at += c.byteLength
    }
    return out
  }
}
