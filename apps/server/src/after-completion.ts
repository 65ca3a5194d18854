import { asQueuedWebhookEvent, JobMetrics, type ServiceMetrics, WebhookSender } from '@rec/adapters-http'
import {
  type Database,
  DueTaskOutbox,
  type MediaJobData,
  PgBossJobQueue,
  QUEUES,
  type QueueSpec,
} from '@rec/adapters-postgres'
import type { AfterCompletionOptions, MediaFactsJob } from '@rec/domain'
import type { Logger } from 'pino'
import type { Config } from './config.js'

/** Never worked: a dead-lettered webhook stays here (for days) to be counted and inspected. */
const DEAD_LETTERS = 'webhook-dead-letter'
/** Deliveries at once per instance: a hanging receiver holds at most this many, each for its timeout. */
const WEBHOOK_CONCURRENCY = 4
const WEBHOOK_TIMEOUT_MS = 10_000
/** Media jobs at once per instance: each reads (and may remux) a whole file. */
const MEDIA_CONCURRENCY = 1

export interface AfterCompletion {
  readonly outbox: DueTaskOutbox
  readonly options: AfterCompletionOptions
  /** Starts the workers; call once the service can take their work. */
  start(jobs: { readonly media: MediaFactsJob }): Promise<void>
  close(): Promise<void>
}

/** The durable job queue, and the webhook worker when WEBHOOK_URL is set. Composition only. */
export async function openAfterCompletion(
  config: Config,
  database: Database,
  metrics: ServiceMetrics,
  logger: Logger,
): Promise<AfterCompletion> {
  const queue = new PgBossJobQueue(database, {
    onError: (error) => logger.warn({ err: error }, 'job queue error'),
  })
  const retry = { retryBackoff: true, retryDelaySeconds: config.WEBHOOK_RETRY_DELAY_S }
  const specs: QueueSpec[] = [
    // Delays double from the first (capped by pg-boss at 2^15 of it): 60 attempts outlast any
    // WEBHOOK_MAX_AGE_S, and the age check dead-letters first.
    // An attempt cut short by a crash is retried once it expires (its timeout plus a margin).
    { name: QUEUES.webhook, retryLimit: 60, expireInSeconds: 30, ...retry },
    { name: DEAD_LETTERS, retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60 },
    { name: QUEUES.media, retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true, expireInSeconds: 3600 },
  ]
  await queue.start(specs)
  const jobMetrics = new JobMetrics(metrics.registry, () => queue.stats())
  const webhooks = config.WEBHOOK_URL && config.WEBHOOK_SECRET
  return {
    outbox: new DueTaskOutbox(queue),
    options: { media: true, webhooks: Boolean(webhooks) },
    async start(jobs) {
      await queue.work(QUEUES.media, MEDIA_CONCURRENCY, async (job) => {
        await jobs.media.run((job.data as MediaJobData).recordingId)
      })
      if (!config.WEBHOOK_URL || !config.WEBHOOK_SECRET) return
      const sender = new WebhookSender({
        url: config.WEBHOOK_URL,
        secret: config.WEBHOOK_SECRET,
        maxAgeSeconds: config.WEBHOOK_MAX_AGE_S,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        onAttempt: (attempt) => logger.info(attempt, 'webhook attempt'),
      })
      await queue.work(QUEUES.webhook, WEBHOOK_CONCURRENCY, async (job) => {
        const event = asQueuedWebhookEvent(job.data)
        try {
          const outcome = await sender.deliver(event, job.retryCount + 1)
          if (outcome === 'delivered') return jobMetrics.webhook('delivered')
          await queue.send(database.executor, DEAD_LETTERS, event)
          jobMetrics.webhook('dead_lettered')
          logger.warn({ webhookId: event.id, type: event.type }, 'webhook dead-lettered')
        } catch (error) {
          jobMetrics.webhook('failed')
          throw error
        }
      })
    },
    close: () => queue.stop(),
  }
}
