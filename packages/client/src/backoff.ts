/** Reconnect delays: exponential from `initialMs` up to `maxMs`, with jitter. */
export interface BackoffOptions {
  /** First delay before jitter (default 250 ms). */
  readonly initialMs?: number
  /** Largest delay before jitter (default 10 s). */
  readonly maxMs?: number
  /** Random number in [0, 1); default Math.random. */
  readonly random?: () => number
}

/**
 * The delay before reconnect attempt `attempt` (1-based): `min(maxMs, initialMs · 2^(attempt-1))`,
 * scaled by a random factor in [0.5, 1) ("equal jitter"), so clients that lost the same server do
 * not all come back in the same millisecond, and a delay is never below half its step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialMs = 250, maxMs = 10_000, random = Math.random } = options
  const step = Math.min(maxMs, initialMs * 2 ** Math.min(30, Math.max(0, attempt - 1)))
  return Math.round(step * (0.5 + random() / 2))
}

/** Close codes after which a socket is not reopened: normal closure and the 44xx client errors. */
export function isFinalClose(code: number): boolean {
  return code === 1000 || (code >= 4400 && code < 4500)
}
