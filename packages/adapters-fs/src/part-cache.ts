import type { PartFile } from './part-file.js'

/** Closes a handle we abandon: its bytes are already written and a close error has no one to tell. */
export function release(part: PartFile | null): void {
  part?.close().catch(() => undefined)
}

/**
 * Open part files between appends, one per key. A part is either in the cache or owned by the one
 * operation that took it, never both, so the idle timer cannot close a handle in use.
 */
export class PartCache {
  readonly #idleMs: number
  readonly #entries = new Map<string, { readonly part: PartFile; readonly timer: NodeJS.Timeout }>()

  constructor(idleMs: number) {
    this.#idleMs = idleMs
  }

  /** Caches `part` for the next append; an unref'd timer closes it if none comes in time. */
  keep(key: string, part: PartFile): void {
    release(this.take(key))
    const timer = setTimeout(() => {
      if (this.#entries.get(key)?.part === part) release(this.take(key))
    }, this.#idleMs)
    // An idle handle must not keep the process alive.
    timer.unref()
    this.#entries.set(key, { part, timer })
  }

  /** Removes the key's part from the cache and hands it to the caller, or null. */
  take(key: string): PartFile | null {
    const entry = this.#entries.get(key)
    if (!entry) return null
    clearTimeout(entry.timer)
    this.#entries.delete(key)
    return entry.part
  }

  async closeAll(): Promise<void> {
    const parts = [...this.#entries.keys()].map((key) => this.take(key))
    await Promise.all(parts.map((part) => part?.close().catch(() => undefined)))
  }
}
