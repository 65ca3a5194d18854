import type { PartFile } from './part-file.js'

/** Closes a handle we abandon: its bytes are already written and a close error has no one to tell. */
export function release(part: PartFile | null): void {
  part?.close().catch(() => undefined)
}

/**
 * Open part files between appends, one per key. A part is either in the cache or owned by the one
 * operation that took it, never both, so the sweep cannot close a handle in use. One sweep timer
 * closes parts idle for longer than `idleMs` (between `idleMs` and twice that): a timer per
 * append was 6,000 timers created a second at 2,000 streams (bench/NOTES.md).
 */
export class PartCache {
  readonly #idleMs: number
  readonly #entries = new Map<string, { readonly part: PartFile; readonly keptAt: number }>()
  #sweep: NodeJS.Timeout | null = null

  constructor(idleMs: number) {
    this.#idleMs = idleMs
  }

  /** Caches `part` for the next append; the sweep closes it if none comes in time. */
  keep(key: string, part: PartFile): void {
    const previous = this.#entries.get(key)
    if (previous && previous.part !== part) release(previous.part)
    this.#entries.set(key, { part, keptAt: performance.now() })
    this.#sweep ??= this.#startSweep()
  }

  /** The key's cached part, left in the cache (for its size), or null. */
  peek(key: string): PartFile | null {
    return this.#entries.get(key)?.part ?? null
  }

  /** Removes the key's part from the cache and hands it to the caller, or null. */
  take(key: string): PartFile | null {
    const entry = this.#entries.get(key)
    if (!entry) return null
    this.#entries.delete(key)
    return entry.part
  }

  async closeAll(): Promise<void> {
    const parts = [...this.#entries.keys()].map((key) => this.take(key))
    this.#stopSweep()
    await Promise.all(parts.map((part) => part?.close().catch(() => undefined)))
  }

  #startSweep(): NodeJS.Timeout {
    const timer = setInterval(() => {
      const idleSince = performance.now() - this.#idleMs
      for (const [key, entry] of this.#entries) if (entry.keptAt <= idleSince) release(this.take(key))
      if (this.#entries.size === 0) this.#stopSweep()
    }, this.#idleMs)
    // An idle handle must not keep the process alive.
    timer.unref()
    return timer
  }

  #stopSweep(): void {
    if (this.#sweep) clearInterval(this.#sweep)
    this.#sweep = null
  }
}
