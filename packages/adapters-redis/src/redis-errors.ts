import { DependencyUnavailableError } from '@rec/domain'

/** How long an adapter waits for Redis before it gives up on a call. */
export const DEFAULT_CALL_TIMEOUT_MS = 500

/**
 * Runs one Redis call with a deadline, and turns every failure to reach Redis (offline, reset,
 * too slow) into the domain's DependencyUnavailableError, which callers already treat as "cache
 * missed" or "try later". The deadline is ours because node-redis's own command timeout stops
 * counting once a command is written: against a hung server it would wait forever.
 */
export async function viaRedis<T>(command: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply from Redis in ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([command(), deadline])
  } catch (error) {
    throw new DependencyUnavailableError('redis', { cause: error })
  } finally {
    clearTimeout(timer)
  }
}
