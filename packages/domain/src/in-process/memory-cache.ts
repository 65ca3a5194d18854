import type { Cache } from '../ports/cache.js'
import type { Clock } from '../ports/clock.js'
import type { Recording } from '../recording.js'

/** In-process Cache with TTLs on the given clock; the default when no Redis is configured. */
export class MemoryCache implements Cache {
  readonly #entries = new Map<string, { recording: Recording; expiresAt: number }>()
  readonly #clock: Clock
  readonly #maxEntries: number

  constructor(clock: Clock, maxEntries = 10_000) {
    this.#clock = clock
    this.#maxEntries = maxEntries
  }

  async get(id: string): Promise<Recording | null> {
    const entry = this.#entries.get(id)
    if (!entry) return null
    if (entry.expiresAt <= this.#clock.now().getTime()) {
      this.#entries.delete(id)
      return null
    }
    return entry.recording
  }

  async set(recording: Recording, ttlSeconds: number): Promise<void> {
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(recording.id, { recording, expiresAt: this.#clock.now().getTime() + ttlSeconds * 1000 })
  }

  async delete(id: string): Promise<void> {
    this.#entries.delete(id)
  }
}
