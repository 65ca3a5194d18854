export type LockedRun<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false }

/**
 * Mutual exclusion for periodic jobs across every instance of the service, so a job that runs
 * everywhere on a timer does its work once at a time.
 */
export interface JobLock {
  /**
   * Runs `work` if no one (this or another instance) holds the lock named `job`, and releases it
   * when `work` settles; resolves `{ acquired: false }` at once when it is held. Rejects with
   * `work`'s own error, or with DependencyUnavailableError when the lock's store cannot be reached.
   */
  tryRun<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>>
}
