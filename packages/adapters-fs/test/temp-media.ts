import { createHash } from 'node:crypto'
import { mkdtemp, realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsBlobStore, type FsBlobStoreOptions } from '../src/index.js'

/** A temporary media directory and every store opened on it, all closed and removed by `dispose`. */
export class TempMedia {
  readonly #stores: FsBlobStore[] = []

  private constructor(readonly root: string) {}

  static async create(): Promise<TempMedia> {
    // realpath: /proc/self/fd shows resolved paths, and macOS's tmpdir is a symlink.
    return new TempMedia(await realpath(await mkdtemp(join(tmpdir(), 'rec-fs-'))))
  }

  /** The media directory inside the root; it does not exist until a store creates it. */
  get dir(): string {
    return join(this.root, 'media')
  }

  store(options: Partial<FsBlobStoreOptions> = {}): FsBlobStore {
    const store = new FsBlobStore({ dir: this.dir, ...options })
    this.#stores.push(store)
    return store
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#stores.map((s) => s.close()))
    await rm(this.root, { recursive: true, force: true })
  }
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

export async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? bytes(p) : p
}

export const sha256 = (...parts: (string | Uint8Array)[]): string => {
  const hash = createHash('sha256')
  for (const p of parts) hash.update(p)
  return `sha256:${hash.digest('hex')}`
}

export async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = []
  for await (const c of body) out.push(c)
  return Buffer.concat(out)
}
