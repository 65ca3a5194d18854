/** The service's time; tests drive it instead of sleeping. Never fails. */
export interface Clock {
  now(): Date
}
