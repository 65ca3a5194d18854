import type { JobLock, LockedRun } from '@rec/domain'
import { sql } from 'kysely'
import type { Database } from './database.js'
import { translateError } from './translate-error.js'

// First key of the two-key advisory locks jobs take ("REC2"); the second is hashtext(job). The
// migration lock uses the one-key form, so the two can never collide.
const NAMESPACE = sql.lit(0x52454332)

/**
 * JobLock on PostgreSQL session advisory locks: `pg_try_advisory_lock` never waits, and the lock
 * dies with its connection, so an instance that crashes mid-job cannot keep it. PGlite is one
 * process with one connection (holding it would starve the job itself), so there the in-process
 * guard alone is the lock.
 */
export class PostgresJobLock implements JobLock {
  readonly #database: Database
  readonly #held = new Set<string>()

  constructor(database: Database) {
    this.#database = database
  }

  async tryRun<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>> {
    if (this.#held.has(job)) return { acquired: false }
    this.#held.add(job)
    try {
      if (this.#database.kind === 'pglite') return { acquired: true, value: await work() }
      return await this.#withAdvisoryLock(job, work)
    } finally {
      this.#held.delete(job)
    }
  }

  async #withAdvisoryLock<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>> {
    try {
      // One connection throughout: a session lock belongs to the connection that took it.
      return await this.#database.db.connection().execute(async (conn): Promise<LockedRun<T>> => {
        const { rows } = await sql<{ locked: boolean }>`
          select pg_try_advisory_lock(${NAMESPACE}, hashtext(${job})) as locked`.execute(conn)
        if (rows[0]?.locked !== true) return { acquired: false }
        try {
          return { acquired: true, value: await work() }
        } finally {
          // If this fails the connection is broken, and the server has dropped the lock with it.
          await sql`select pg_advisory_unlock(${NAMESPACE}, hashtext(${job}))`.execute(conn).catch(() => {})
        }
      })
    } catch (error) {
      throw translateError(error)
    }
  }
}
