import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobLock } from '../ports/job-lock.js'
import { platform } from './platform.js'

export interface JobLockFixture {
  /** Two locks that stand for two instances of the service (the same object for one process). */
  readonly first: JobLock
  readonly second: JobLock
  close(): Promise<void>
}

/** The behaviour every JobLock must have; each adapter's tests call it. */
export function runJobLockContract(name: string, make: () => Promise<JobLockFixture>): void {
  describe(`JobLock contract: ${name}`, () => {
    let fx: JobLockFixture
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('runs the work and resolves its value', async () => {
      expect(await fx.first.tryRun('job-a', async () => 42)).toEqual({ acquired: true, value: 42 })
    })

    it('skips a job while another holder runs it, and lets other jobs run', async () => {
      let release = (): void => {}
      const gate = new Promise<void>((resolve) => {
        release = resolve
      })
      const running = fx.first.tryRun('job-a', () => gate.then(() => 'first'))
      // Give the first holder time to take the lock (a database round trip for real adapters).
      await new Promise((resolve) => platform.setTimeout(resolve, 100))
      expect(await fx.second.tryRun('job-a', async () => 'second')).toEqual({ acquired: false })
      expect(await fx.second.tryRun('job-b', async () => 'other')).toEqual({ acquired: true, value: 'other' })
      release()
      expect(await running).toEqual({ acquired: true, value: 'first' })
      expect(await fx.second.tryRun('job-a', async () => 'after')).toEqual({ acquired: true, value: 'after' })
    })

    it('releases the lock when the work fails', async () => {
      await expect(
        fx.first.tryRun('job-a', async () => {
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect(await fx.second.tryRun('job-a', async () => 1)).toEqual({ acquired: true, value: 1 })
    })
  })
}
