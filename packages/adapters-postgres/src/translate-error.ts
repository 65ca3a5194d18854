import { DependencyUnavailableError, DomainError, RecordingAlreadyActiveError } from '@rec/domain'

/** The index that allows one recording/stopping row per (user, session); see migration 0001. */
export const ACTIVE_SESSION_INDEX = 'uq_recordings_active_session'

// Socket-level failures from Node (pg) and the pool's own messages when it cannot get a connection.
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// SQLSTATEs that mean "the server is gone, going, or overloaded", not "your query is wrong":
// 57P01-57P03 shutdown/crash/starting up, 53300 too many connections, 57014 statement timeout.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014'])
const MESSAGES =
  /Connection terminated|timeout expired|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed/

const field = (error: unknown, name: string): unknown =>
  typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined

function isConnectionFailure(error: unknown): boolean {
  const code = field(error, 'code')
  if (typeof code === 'string' && (NODE_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) {
    return true
  }
  // Node reports a refused dual-stack connect (::1 and 127.0.0.1) as an AggregateError.
  if (error instanceof AggregateError && error.errors.some(isConnectionFailure)) return true
  const message = field(error, 'message')
  if (typeof message === 'string' && MESSAGES.test(message)) return true
  const cause = field(error, 'cause')
  return cause !== undefined && cause !== error && isConnectionFailure(cause)
}

/**
 * Turns a pg / PGlite error into the domain error it means, or returns it unchanged. The one place
 * that knows vendor error codes, so every repository method reports outages the same way.
 */
export function translateError(error: unknown): unknown {
  if (error instanceof DomainError) return error
  if (field(error, 'code') === '23505' && field(error, 'constraint') === ACTIVE_SESSION_INDEX) {
    return new RecordingAlreadyActiveError()
  }
  if (isConnectionFailure(error)) return new DependencyUnavailableError('postgres', { cause: error })
  return error
}
