import { InvalidTransitionError } from './errors.js'
import type { Recording, RecordingStatus } from './recording.js'
import type { RecordingEvent } from './recording-event.js'

export type { RecordingEvent } from './recording-event.js'

/** Which events each status accepts; anything else is an InvalidTransitionError. */
export const ALLOWED_EVENTS = {
  recording: ['progress', 'stop', 'fail'],
  stopping: ['complete', 'fail', 'reopen'],
  completed: [],
  failed: [],
} as const satisfies Record<RecordingStatus, readonly RecordingEvent['type'][]>

export type TransitionResult =
  | { readonly ok: true; readonly recording: Recording }
  | { readonly ok: false; readonly error: InvalidTransitionError }

const allows = (status: RecordingStatus, event: RecordingEvent['type']): boolean =>
  (ALLOWED_EVENTS[status] as readonly string[]).includes(event)

/** The state machine of SPEC §4 as a pure function: expected rejections are values. */
export function transition(state: Recording, event: RecordingEvent, now: Date): TransitionResult {
  if (!allows(state.status, event.type)) {
    return { ok: false, error: new InvalidTransitionError(state.status, event.type) }
  }
  return { ok: true, recording: apply(state, event, now) }
}

function apply(state: Recording, event: RecordingEvent, now: Date): Recording {
  switch (event.type) {
    case 'progress':
      if (event.sizeBytes < state.sizeBytes) throw new RangeError('sizes only grow')
      return { ...state, sizeBytes: event.sizeBytes, lastActivityAt: now, updatedAt: now }
    case 'stop':
      return {
        ...state,
        status: 'stopping',
        stopReason: event.reason,
        stoppedAt: now,
        durationMs: Math.max(0, now.getTime() - state.startedAt.getTime()),
        updatedAt: now,
      }
    case 'complete':
      if (event.sizeBytes < state.sizeBytes) throw new RangeError('sizes only grow')
      return {
        ...state,
        status: 'completed',
        sizeBytes: event.sizeBytes,
        checksum: event.checksum,
        updatedAt: now,
      }
    case 'reopen':
      // The idle timeout counts again from now: the client is there, retrying its stop.
      return {
        ...state,
        status: 'recording',
        stopReason: null,
        stoppedAt: null,
        durationMs: null,
        lastActivityAt: now,
        updatedAt: now,
      }
    case 'fail': {
      const stoppedAt = state.stoppedAt ?? now
      return {
        ...state,
        status: 'failed',
        failureReason: event.reason,
        stoppedAt,
        durationMs: state.durationMs ?? Math.max(0, stoppedAt.getTime() - state.startedAt.getTime()),
        updatedAt: now,
      }
    }
    default: {
      const unreachable: never = event
      throw new TypeError(`unknown event ${JSON.stringify(unreachable)}`)
    }
  }
}
