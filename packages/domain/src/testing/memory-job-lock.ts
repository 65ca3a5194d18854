import type { JobLock, LockedRun } from '../ports/job-lock.js'

/** JobLock for one process: a job name is held while its work runs. Passes the shared contract. */
export class MemoryJobLock implements JobLock {
  readonly #held = new Set<string>()

  async tryRun<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>> {
    if (this.#held.has(job)) return { acquired: false }
    this.#held.add(job)
    try {
      return { acquired: true, value: await work() }
    } finally {
      this.#held.delete(job)
    }
  }
}
