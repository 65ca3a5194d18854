import type { DueTask } from '@rec/domain'
import type { PgBossJobQueue } from './pg-boss-job-queue.js'
import type { SqlExecutor } from './sql-executor.js'

/** The queues after-completion work runs on. */
export const QUEUES = { media: 'recording-media', webhook: 'webhook-delivery' } as const

/** A media job's data. */
export interface MediaJobData {
  readonly recordingId: string
}

/**
 * A webhook job's data: the event, with the recording as JSON (dates as ISO strings). The job row
 * is the outbox row: it is inserted in the transaction of the change and deleted days after delivery.
 */
export interface WebhookJobData {
  readonly id: string
  readonly type: string
  readonly timestamp: string
  readonly recording: Record<string, unknown>
}

/** Turns due tasks into jobs, in the caller's transaction. */
export class DueTaskOutbox {
  readonly #queue: PgBossJobQueue

  constructor(queue: PgBossJobQueue) {
    this.#queue = queue
  }

  async enqueue(executor: SqlExecutor, due: readonly DueTask[]): Promise<void> {
    for (const task of due) {
      if (task.kind === 'media') {
        const data: MediaJobData = { recordingId: task.recordingId }
        await this.#queue.send(executor, QUEUES.media, data)
      } else {
        const { id, type, timestamp, recording } = task.event
        const data: WebhookJobData = {
          id,
          type,
          timestamp: timestamp.toISOString(),
          recording: JSON.parse(JSON.stringify(recording)) as Record<string, unknown>,
        }
        await this.#queue.send(executor, QUEUES.webhook, data)
      }
    }
  }
}
