import type { Clock } from '../ports/clock.js'

/**
 * The wall clock.
 * @example new RecordingService({ clock: new SystemClock(), ... })
 */
export class SystemClock implements Clock {
  now(): Date {
    return new Date()
  }
}
