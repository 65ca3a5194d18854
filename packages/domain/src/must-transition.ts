import type { Recording } from './recording.js'
import { type RecordingEvent, transition } from './transition.js'

/** Applies an event the caller has already checked is allowed; a rejection here is a bug. */
export function mustTransition(state: Recording, event: RecordingEvent, now: Date): Recording {
  const result = transition(state, event, now)
  if (!result.ok) throw result.error
  return result.recording
}
