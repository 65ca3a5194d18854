import { DependencyUnavailableError } from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'

/** How long an adapter waits for Redis before it gives up on a call. */
export const DEFAULT_CALL_TIMEOUT_MS = 500

const CIRCUIT_OPEN = new Error('Redis circuit breaker is open: failing fast until Redis answers a probe')

/**
 * Runs one Redis call with a deadline, and turns every failure to reach Redis (offline, reset,
 * too slow) into the domain's DependencyUnavailableError, which callers already treat as "cache
 * missed" or "try later". The deadline is ours because node-redis's own command timeout stops
 * counting once a command is written: against a hung server it would wait forever. With a
 * `breaker`, an open one rejects at once and every outcome is reported to it.
 */
export async function viaRedis<T>(
  command: () => Promise<T>,
  timeoutMs: number,
  breaker: CircuitBreaker | null = null,
): Promise<T> {
  if (breaker?.isOpen) throw new DependencyUnavailableError('redis', { cause: CIRCUIT_OPEN })
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply from Redis in ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const reply = await Promise.race([command(), deadline])
    breaker?.succeeded()
    return reply
  } catch (error) {
    breaker?.failed()
    throw new DependencyUnavailableError('redis', { cause: error })
  } finally {
    clearTimeout(timer)
  }
}
