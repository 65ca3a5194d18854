import type { Recording } from '@rec/domain'
import { toRecordingDto } from '../schemas/recording-schema.js'

const DATE_FIELDS = new Set(['startedAt', 'stoppedAt', 'lastActivityAt', 'createdAt', 'updatedAt'])

/** A queued webhook event: the recording as JSON, as the outbox stored it. */
export interface QueuedWebhookEvent {
  readonly id: string
  readonly type: string
  readonly timestamp: string
  readonly recording: Record<string, unknown>
}

/**
 * The body every webhook carries, in the Standard Webhooks shape: `type`, `timestamp` (of the
 * change, ISO 8601) and `data`, the recording as the REST API returns it.
 */
export function webhookPayload(event: QueuedWebhookEvent): string {
  const recording = JSON.parse(JSON.stringify(event.recording), (key, raw: unknown) =>
    DATE_FIELDS.has(key) && typeof raw === 'string' ? new Date(raw) : raw,
  ) as Recording
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: toRecordingDto(recording) })
}

/** Reads a job's data as a webhook event; throws on anything else (a job no retry can fix). */
export function asQueuedWebhookEvent(data: unknown): QueuedWebhookEvent {
  const d = data as Partial<QueuedWebhookEvent> | null
  if (
    typeof d?.id !== 'string' ||
    typeof d.type !== 'string' ||
    typeof d.timestamp !== 'string' ||
    typeof d.recording !== 'object' ||
    d.recording === null
  ) {
    throw new Error('not a webhook event')
  }
  return d as QueuedWebhookEvent
}
