import type { SqlExecutor } from './sql-executor.js'

/** What an operator watches of one queue. */
export interface JobStats {
  readonly queue: string
  /** Waiting to run: new, or failed and waiting for the next attempt. */
  readonly queued: number
  readonly running: number
  /** Out of attempts (kept until pg-boss deletes them, days later). */
  readonly failed: number
  /** Seconds since the oldest queued or running job was created; 0 when there is none. */
  readonly oldestAgeSeconds: number
}

interface Row {
  readonly name: string
  readonly queued: number | string
  readonly running: number | string
  readonly failed: number | string
  readonly oldest: number | string | null
}

/** One pass over pg-boss's job table; its `(name, state)` grouping is what its own monitor reads. */
export async function readJobStats(executor: SqlExecutor): Promise<readonly JobStats[]> {
  const { rows } = await executor.executeSql(
    `select q.name,
       count(j.id) filter (where j.state in ('created', 'retry')) as queued,
       count(j.id) filter (where j.state = 'active') as running,
       count(j.id) filter (where j.state = 'failed') as failed,
       extract(epoch from now() - min(j.created_on) filter (where j.state in ('created', 'retry', 'active'))) as oldest
     from pgboss.queue q left join pgboss.job j on j.name = q.name
     where q.name not like '\\_\\_pgboss%'
     group by q.name order by q.name`,
    [],
  )
  return (rows as Row[]).map((r) => ({
    queue: r.name,
    queued: Number(r.queued),
    running: Number(r.running),
    failed: Number(r.failed),
    oldestAgeSeconds: r.oldest === null ? 0 : Number(r.oldest),
  }))
}
