import type { WriterLease } from '../ports/writer-lease.js'

/** WriterLease in memory: one process stands for every instance. */
export class MemoryWriterLease implements WriterLease {
  readonly #tokens = new Map<string, number>()

  async take(key: string): Promise<number> {
    const token = (this.#tokens.get(key.toLowerCase()) ?? 0) + 1
    this.#tokens.set(key.toLowerCase(), token)
    return token
  }

  async current(key: string): Promise<number> {
    return this.#tokens.get(key.toLowerCase()) ?? 0
  }
}
