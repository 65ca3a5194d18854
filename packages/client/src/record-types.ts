import type { Recording } from './api-types.js'
import type { BackoffOptions } from './backoff.js'

/** `starting` until the recording exists; `reconnecting` between a drop and the next `ready`. */
export type RecordState =
  | 'starting'
  | 'recording'
  | 'paused'
  | 'reconnecting'
  | 'stopping'
  | 'completed'
  | 'failed'

export interface RecordEvents extends Record<string, unknown> {
  state: RecordState
  progress: { sentBytes: number; ackedBytes: number }
  reconnecting: { attempt: number; delayMs: number }
  completed: Recording
  error: Error
}

export interface SessionOptions {
  readonly maxBufferedBytes: number
  readonly maxFrameBytes: number
  readonly backoff: BackoffOptions
}
