import type { Cache } from '../ports/cache.js'
import type { Clock } from '../ports/clock.js'
import type { Recording } from '../recording.js'
import { normaliseId } from '../recording-id.js'

export interface MemoryCacheOptions {
  readonly maxEntries?: number
  /** How long after a delete `set` is ignored (the Cache port's invalidation window). */
  readonly invalidationMs?: number
}

type Entry = { readonly recording: Recording | null; readonly expiresAt: number }

/** In-process Cache with TTLs on the given clock; the default when no Redis is configured. */
export class MemoryCache implements Cache {
  /** A null recording is a tombstone: deleted recently, not to be filled yet. */
  readonly #entries = new Map<string, Entry>()
  readonly #clock: Clock
  readonly #maxEntries: number
  readonly #invalidationMs: number

  constructor(clock: Clock, { maxEntries = 10_000, invalidationMs = 1000 }: MemoryCacheOptions = {}) {
    this.#clock = clock
    this.#maxEntries = maxEntries
    this.#invalidationMs = invalidationMs
  }

  async get(id: string): Promise<Recording | null> {
    return this.#live(id)?.recording ?? null
  }

  async set(recording: Recording, ttlSeconds: number): Promise<void> {
    if (this.#live(recording.id)) return
    this.#put(normaliseId(recording.id), {
      recording,
      expiresAt: this.#clock.now().getTime() + ttlSeconds * 1000,
    })
  }

  async delete(id: string): Promise<void> {
    this.#put(normaliseId(id), {
      recording: null,
      expiresAt: this.#clock.now().getTime() + this.#invalidationMs,
    })
  }

  #live(id: string): Entry | null {
    const key = normaliseId(id)
    const entry = this.#entries.get(key)
    if (!entry) return null
    if (entry.expiresAt <= this.#clock.now().getTime()) {
      this.#entries.delete(key)
      return null
    }
    return entry
  }

  #put(key: string, entry: Entry): void {
    this.#entries.delete(key)
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, entry)
  }
}
