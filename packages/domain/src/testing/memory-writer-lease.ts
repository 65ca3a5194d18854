import { WriterFencedError } from '../errors.js'
import type { WriterLease } from '../ports/writer-lease.js'
import { normaliseId } from '../recording-id.js'

/** WriterLease in memory: one process stands for every instance. */
export class MemoryWriterLease implements WriterLease {
  readonly #tokens = new Map<string, number>()
  /** Guarded writes running per key: a take waits for them. */
  readonly #writes = new Map<string, Set<Promise<unknown>>>()

  async take(key: string): Promise<number> {
    const k = normaliseId(key)
    for (let running = this.#writes.get(k); running?.size; running = this.#writes.get(k)) {
      await Promise.allSettled(running)
    }
    const token = (this.#tokens.get(k) ?? 0) + 1
    this.#tokens.set(k, token)
    return token
  }

  async current(key: string): Promise<number> {
    return this.#tokens.get(normaliseId(key)) ?? 0
  }

  async guard<T>(key: string, fence: number, write: () => Promise<T>): Promise<T> {
    const k = normaliseId(key)
    if ((this.#tokens.get(k) ?? 0) > fence) throw new WriterFencedError(fence)
    const running = this.#writes.get(k) ?? new Set()
    this.#writes.set(k, running)
    const done = write()
    running.add(done)
    try {
      return await done
    } finally {
      running.delete(done)
      if (running.size === 0) this.#writes.delete(k)
    }
  }
}
