import { sql } from 'kysely'
import PgBoss from 'pg-boss'
import type { Database } from '../database.js'
import { type JobStats, readJobStats } from './job-stats.js'
import type { SqlExecutor } from './sql-executor.js'

// The migrations' lock key ("REC1"): schema changes of any kind, ours or pg-boss's, take turns.
const LOCK_KEY = sql.lit(0x52454331)

/** A queue and how its jobs are retried. */
export interface QueueSpec {
  readonly name: string
  /** Attempts after the first; with `retryBackoff` the delay doubles each time, with jitter. */
  readonly retryLimit: number
  readonly retryDelaySeconds: number
  readonly retryBackoff: boolean
  /** A job running longer (or whose process died) is failed and retried after this long. */
  readonly expireInSeconds: number
}

/** One job as a handler receives it. */
export interface QueuedJob {
  readonly id: string
  readonly data: unknown
  /** Earlier attempts of this job (0 on the first). */
  readonly retryCount: number
  readonly createdOn: Date
}

export interface JobQueueOptions {
  /** Told about errors of the queue's own loops (polling, maintenance); they never throw. */
  readonly onError: (error: Error) => void
  /** How often an idle worker looks for work. */
  readonly pollingIntervalSeconds?: number
}

/**
 * Durable jobs in PostgreSQL (pg-boss): rows in the `pgboss` schema, fetched with
 * `FOR UPDATE SKIP LOCKED` so each attempt runs on one instance, retried with backoff, and an
 * attempt whose process died is expired and retried. pg-boss runs its SQL through our own
 * Kysely connections (`SqlExecutor`), on a pg Pool and on PGlite alike.
 */
export class PgBossJobQueue {
  readonly #boss: PgBoss
  readonly #database: Database
  readonly #polling: number
  readonly #sql: StoppableExecutor

  constructor(database: Database, { onError, pollingIntervalSeconds = 1 }: JobQueueOptions) {
    this.#database = database
    this.#polling = pollingIntervalSeconds
    this.#sql = new StoppableExecutor(database.executor)
    this.#boss = new PgBoss({
      db: this.#sql as PgBoss.Db,
      schema: 'pgboss',
      // Expired attempts (a process killed mid-job) are found by this sweep.
      maintenanceIntervalSeconds: 15,
      monitorStateIntervalSeconds: 60,
      archiveCompletedAfterSeconds: 3600,
      deleteAfterDays: 7,
      schedule: false,
    })
    this.#boss.on('error', (error: Error) => onError(error))
  }

  /**
   * Creates the schema and the queues, or updates their retry policy. pg-boss checks for its
   * schema before taking its lock, so two instances starting on an empty database would both try
   * to create it: on PostgreSQL a session lock (the migrations' own) makes them take turns.
   * PGlite has one process and one connection, and no lock to take.
   */
  async start(queues: readonly QueueSpec[]): Promise<void> {
    if (this.#database.kind === 'pglite') return this.#start(queues)
    await this.#database.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn)
      try {
        await this.#start(queues)
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn)
      }
    })
  }

  async #start(queues: readonly QueueSpec[]): Promise<void> {
    await this.#boss.start()
    for (const q of queues) {
      const options = {
        name: q.name,
        retryLimit: q.retryLimit,
        retryDelay: q.retryDelaySeconds,
        retryBackoff: q.retryBackoff,
        expireInSeconds: q.expireInSeconds,
      }
      if ((await this.#boss.getQueue(q.name)) === null) {
        await this.#boss.createQueue(q.name, options).catch(async (error: unknown) => {
          // Another instance created it between the look and the create.
          if ((await this.#boss.getQueue(q.name)) === null) throw error
        })
      } else {
        await this.#boss.updateQueue(q.name, options)
      }
    }
  }

  /** Enqueues a job through `executor`: inside a transaction it commits or rolls back with it. */
  async send(executor: SqlExecutor, name: string, data: object): Promise<void> {
    await this.#boss.send(name, data, { db: executor as PgBoss.Db })
  }

  /**
   * Runs `handler` on jobs of `name`, at most `concurrency` at once on this instance. A handler
   * that rejects fails the attempt, which is retried per the queue's policy.
   */
  async work(name: string, concurrency: number, handler: (job: QueuedJob) => Promise<void>): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      await this.#boss.work<object>(
        name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.#polling },
        async ([job]) => {
          if (job) await handler(job)
        },
      )
    }
  }

  /** Counts by queue, for /metrics. Rejects when the database does not answer. */
  stats(): Promise<readonly JobStats[]> {
    return readJobStats(this.#database.executor)
  }

  /**
   * Stops fetching and waits (at most 3 s) for running handlers; one cut short is expired and
   * retried later, like one whose process died. Resolves once pg-boss's last statements are done,
   * so the database can be closed after it.
   */
  async stop(): Promise<void> {
    await this.#boss.stop({ graceful: true, wait: true, timeout: 3_000 })
    await this.#sql.stop()
  }
}

/**
 * pg-boss's SQL, with the statements in flight known. pg-boss does not await the statement that
 * records a job's outcome (`complete`/`fail` after the handler), so one could still be running
 * when `stop()` resolves, reach a database closed after it and reject with no one to catch it.
 * `stop()` waits for those. A statement sent later (by a handler cut short by the timeout,
 * finishing after it) is not sent: its promise stays pending, since any answer, an error or a
 * made-up result, would surface as a rejection inside pg-boss that nothing awaits. Its job was
 * failed by the stop and is retried.
 */
class StoppableExecutor implements SqlExecutor {
  readonly #inner: SqlExecutor
  readonly #running = new Set<Promise<unknown>>()
  #stopped = false

  constructor(inner: SqlExecutor) {
    this.#inner = inner
  }

  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }> {
    if (this.#stopped) return new Promise(() => {})
    const running = this.#inner.executeSql(text, values)
    const settled: Promise<unknown> = running.then(
      () => this.#running.delete(settled),
      () => this.#running.delete(settled),
    )
    this.#running.add(settled)
    return running
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await Promise.all([...this.#running])
  }
}
