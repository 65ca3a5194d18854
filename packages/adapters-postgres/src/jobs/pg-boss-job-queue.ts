import PgBoss from 'pg-boss'
import type { Database } from '../database.js'
import { type JobStats, readJobStats } from './job-stats.js'
import type { SqlExecutor } from './sql-executor.js'

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

  constructor(database: Database, { onError, pollingIntervalSeconds = 1 }: JobQueueOptions) {
    this.#database = database
    this.#polling = pollingIntervalSeconds
    this.#boss = new PgBoss({
      db: database.executor as PgBoss.Db,
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

  /** Creates the schema (once, under pg-boss's lock) and the queues; updates their retry policy. */
  async start(queues: readonly QueueSpec[]): Promise<void> {
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

  /** Stops fetching and waits (bounded) for running handlers. */
  async stop(): Promise<void> {
    await this.#boss.stop({ graceful: true, wait: true, timeout: 5_000 })
  }
}
