import type { StopReason } from './recording.js'

/** What can happen to a recording; `transition` decides which status accepts which. */
export type RecordingEvent =
  | { readonly type: 'progress'; readonly sizeBytes: number }
  | { readonly type: 'stop'; readonly reason: StopReason }
  | { readonly type: 'complete'; readonly sizeBytes: number; readonly checksum: string }
  | { readonly type: 'fail'; readonly reason: string }
  /** A stop whose media could not be finalized (storage refused): back to resumable. */
  | { readonly type: 'reopen' }
