import type { Recording } from '../recording.js'

export interface RecordingUpdated {
  readonly type: 'recording.updated'
  readonly recording: Recording
}

export type Unsubscribe = () => Promise<void>

/** Delivers recording events to every subscriber of the owner, on whichever instance. */
export interface EventBus {
  /** Sends the event; rejects when the transport is down (callers log and go on). */
  publish(event: RecordingUpdated): Promise<void>
  /** Calls `listener` for each event of `userId`'s recordings until unsubscribed. */
  subscribe(userId: string, listener: (event: RecordingUpdated) => void): Promise<Unsubscribe>
  /**
   * Calls `listener` each time the transport loses its connection: events published from then
   * until it is back never reach this instance's subscribers, so their clients must be told (and
   * re-read). Returns a function that removes the listener. An in-process bus never calls it.
   */
  onInterrupted(listener: () => void): () => void
}
