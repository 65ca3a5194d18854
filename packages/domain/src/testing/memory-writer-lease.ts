import type { WriterLease } from '../ports/writer-lease.js'
import { normaliseId } from '../recording-id.js'

/** WriterLease in memory: one process stands for every instance. */
export class MemoryWriterLease implements WriterLease {
  readonly #tokens = new Map<string, number>()

  async take(key: string): Promise<number> {
    const token = (this.#tokens.get(normaliseId(key)) ?? 0) + 1
    this.#tokens.set(normaliseId(key), token)
    return token
  }

  async current(key: string): Promise<number> {
    return this.#tokens.get(normaliseId(key)) ?? 0
  }
}
