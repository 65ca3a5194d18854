import type { IdGenerator } from '../ports/id-generator.js'

/** Predictable UUIDs that count up from `start` (`…-000000000001`), for tests and examples. */
export class SequentialIds implements IdGenerator {
  #next: number

  constructor(start = 1) {
    this.#next = start
  }

  newId(): string {
    return `00000000-0000-4000-8000-${(this.#next++).toString(16).padStart(12, '0')}`
  }
}
