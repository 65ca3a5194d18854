import { Webhook } from 'standardwebhooks'
import { type QueuedWebhookEvent, webhookPayload } from './webhook-payload.js'

export interface WebhookSenderOptions {
  readonly url: string
  /** A Standard Webhooks secret, `whsec_<base64>`. */
  readonly secret: string
  /** An event older than this is dead-lettered instead of attempted again. */
  readonly maxAgeSeconds: number
  /** Each attempt is abandoned after this long (a hanging receiver). */
  readonly timeoutMs?: number
  readonly now?: () => Date
  /** Told about every attempt, for the log. */
  readonly onAttempt?: (attempt: WebhookAttempt) => void
}

export interface WebhookAttempt {
  readonly webhookId: string
  readonly type: string
  /** 1 for the first attempt. */
  readonly attempt: number
  /** The receiver's status, or null when there was no answer (refused, timed out). */
  readonly status: number | null
  readonly error: string | null
  readonly ms: number
}

export type DeliveryOutcome = 'delivered' | 'dead-lettered'

/**
 * Signs and posts one event per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). Resolves 'delivered' on a 2xx; rejects otherwise, so the queue retries
 * with backoff; resolves 'dead-lettered' once an attempt fails and the event is older than
 * `maxAgeSeconds`. Every attempt of an event carries the same `webhook-id`.
 */
export class WebhookSender {
  readonly #o: Required<Omit<WebhookSenderOptions, 'onAttempt'>> & Pick<WebhookSenderOptions, 'onAttempt'>
  readonly #signer: Webhook

  constructor(options: WebhookSenderOptions) {
    this.#o = { timeoutMs: 10_000, now: () => new Date(), ...options }
    this.#signer = new Webhook(options.secret)
  }

  async deliver(event: QueuedWebhookEvent, attempt: number): Promise<DeliveryOutcome> {
    const started = Date.now()
    const sentAt = this.#o.now()
    const body = webhookPayload(event)
    let status: number | null = null
    let error: string | null = null
    try {
      const response = await fetch(this.#o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'recording-service-webhooks',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': this.#signer.sign(event.id, sentAt, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      })
      status = response.status
      // Read (and drop) the body so the connection is reused; bounded by the same timeout.
      await response.body?.cancel()
    } catch (e) {
      error = e instanceof Error ? e.message : String(e)
    }
    this.#o.onAttempt?.({
      webhookId: event.id,
      type: event.type,
      attempt,
      status,
      error,
      ms: Date.now() - started,
    })
    if (status !== null && status >= 200 && status < 300) return 'delivered'
    const ageSeconds = (this.#o.now().getTime() - Date.parse(event.timestamp)) / 1000
    if (ageSeconds >= this.#o.maxAgeSeconds) return 'dead-lettered'
    throw new Error(`webhook ${event.id} attempt ${attempt}: ${status ?? error}`)
  }
}
