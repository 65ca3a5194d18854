import type { Recording, RecordingStatus } from '../recording.js'

export const WEBHOOK_EVENT_TYPES = [
  'recording.completed',
  'recording.failed',
  'recording.deleted',
  'recording.media_ready',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** What a webhook tells a receiver; `id` is the `webhook-id` every attempt repeats. */
export interface WebhookEvent {
  readonly id: string
  readonly type: WebhookEventType
  readonly timestamp: Date
  /** The recording as it was right after the change (before the delete, for `recording.deleted`). */
  readonly recording: Recording
}

/**
 * Work that a state change makes due. The repository commits it in the same transaction as the
 * change, so a crash can lose neither the change without the task nor the task without the change.
 */
export type DueTask =
  | { readonly kind: 'media'; readonly recordingId: string }
  | { readonly kind: 'webhook'; readonly event: WebhookEvent }

/** Which after-completion work this deployment does. */
export interface AfterCompletionOptions {
  /** Read media facts (and make a seekable rendition) of every completed recording. */
  readonly media: boolean
  /** Send webhooks: set when a receiver is configured. */
  readonly webhooks: boolean
}

export const NO_AFTER_COMPLETION: AfterCompletionOptions = { media: false, webhooks: false }

export interface DueContext {
  readonly options: AfterCompletionOptions
  readonly newId: () => string
  readonly now: Date
}

/** The tasks a save of `next` over a row in status `before` makes due (none for progress saves). */
export function dueOnSave(before: RecordingStatus, next: Recording, ctx: DueContext): DueTask[] {
  if (before === next.status) return []
  const due: DueTask[] = []
  if (next.status === 'completed') {
    if (ctx.options.media) due.push({ kind: 'media', recordingId: next.id })
    if (ctx.options.webhooks) due.push(webhook('recording.completed', next, ctx))
  }
  if (next.status === 'failed' && ctx.options.webhooks) due.push(webhook('recording.failed', next, ctx))
  return due
}

/** The tasks deleting `recording` makes due. */
export function dueOnDelete(recording: Recording, ctx: DueContext): DueTask[] {
  return ctx.options.webhooks ? [webhook('recording.deleted', recording, ctx)] : []
}

export function webhook(type: WebhookEventType, recording: Recording, ctx: DueContext): DueTask {
  return { kind: 'webhook', event: { id: `evt_${ctx.newId()}`, type, timestamp: ctx.now, recording } }
}
