import type { EventBus, RecordingUpdated, Unsubscribe } from '../ports/event-bus.js'

/** In-process EventBus: delivers to subscribers of this instance only. */
export class MemoryEventBus implements EventBus {
  readonly #listeners = new Map<string, Set<(event: RecordingUpdated) => void>>()

  async publish(event: RecordingUpdated): Promise<void> {
    for (const listener of this.#listeners.get(event.recording.userId) ?? []) {
      try {
        listener(event)
      } catch {
        // One broken listener must not stop delivery to the others.
      }
    }
  }

  /** In process, nothing is ever lost in transit. */
  onInterrupted(_listener: () => void): () => void {
    return () => {}
  }

  async subscribe(userId: string, listener: (event: RecordingUpdated) => void): Promise<Unsubscribe> {
    let set = this.#listeners.get(userId)
    if (!set) {
      set = new Set()
      this.#listeners.set(userId, set)
    }
    set.add(listener)
    return async () => {
      set.delete(listener)
      if (set.size === 0) this.#listeners.delete(userId)
    }
  }
}
