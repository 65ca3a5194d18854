import { Counter, Gauge, type Registry } from 'prom-client'

/** One queue's figures, as the job queue reports them. */
export interface QueueFigures {
  readonly queue: string
  readonly queued: number
  readonly running: number
  readonly failed: number
  readonly oldestAgeSeconds: number
}

export type WebhookOutcome = 'delivered' | 'failed' | 'dead_lettered'

/**
 * Durable-job and webhook metrics, on the service's registry. The queue figures are read from
 * the database at scrape time (the same for every instance: the queue is shared); a failed read
 * leaves them out of that scrape rather than failing it.
 */
export class JobMetrics {
  readonly #webhooks: Counter<'outcome'>

  constructor(registry: Registry, read: () => Promise<readonly QueueFigures[]>) {
    const registers = [registry]
    let last: Promise<readonly QueueFigures[]> | null = null
    // Both gauges collect in the same scrape: one query serves them.
    const figures = () => {
      last ??= read()
        .catch(() => [])
        .finally(() => setTimeout(() => (last = null), 0))
      return last
    }
    new Gauge({
      name: 'jobs',
      help: 'Durable jobs by queue and state: queued (new or awaiting a retry), running, failed (out of attempts)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset()
        for (const q of await figures()) {
          this.set({ queue: q.queue, state: 'queued' }, q.queued)
          this.set({ queue: q.queue, state: 'running' }, q.running)
          this.set({ queue: q.queue, state: 'failed' }, q.failed)
        }
      },
    })
    new Gauge({
      name: 'jobs_oldest_age_seconds',
      help: 'Age of the oldest queued or running job, by queue (0 when none): a growing value means work is stuck',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset()
        for (const q of await figures()) this.set({ queue: q.queue }, q.oldestAgeSeconds)
      },
    })
    this.#webhooks = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook attempts on this instance: delivered, failed (to be retried) or dead_lettered (given up after WEBHOOK_MAX_AGE_S)',
      labelNames: ['outcome'],
      registers,
    })
    for (const outcome of ['delivered', 'failed', 'dead_lettered'] as const)
      this.#webhooks.inc({ outcome }, 0)
  }

  webhook(outcome: WebhookOutcome): void {
    this.#webhooks.inc({ outcome })
  }
}
