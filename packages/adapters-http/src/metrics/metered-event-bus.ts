import type { EventBus, RecordingUpdated, Unsubscribe } from '@rec/domain'
import type { ServiceMetrics } from './service-metrics.js'

/**
 * Counts final statuses where the domain announces every state change it makes: `publish` runs
 * once per change on the instance that made it (subscribers on other instances are not counted),
 * whichever path ended the recording (client stop, limit, idle timeout, janitor).
 */
export class MeteredEventBus implements EventBus {
  readonly #inner: EventBus
  readonly #metrics: ServiceMetrics

  constructor(inner: EventBus, metrics: ServiceMetrics) {
    this.#inner = inner
    this.#metrics = metrics
  }

  publish(event: RecordingUpdated): Promise<void> {
    const { status } = event.recording
    if (status === 'completed' || status === 'failed') this.#metrics.recordingFinished(status)
    return this.#inner.publish(event)
  }

  subscribe(userId: string, listener: (event: RecordingUpdated) => void): Promise<Unsubscribe> {
    return this.#inner.subscribe(userId, listener)
  }

  onInterrupted(listener: () => void): () => void {
    return this.#inner.onInterrupted(listener)
  }
}
