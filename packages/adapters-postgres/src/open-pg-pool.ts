import { PostgresDialect } from 'kysely'
import pg from 'pg'
import type { OpenedDialect } from './opened-dialect.js'
import { pgTypes } from './timestamp-parser.js'

export interface PgPoolOptions {
  readonly poolMax?: number
  readonly connectTimeoutMs?: number
  readonly statementTimeoutMs?: number
  readonly onIdleError?: (error: Error) => void
}

/** A pg Pool that never waits forever: bounded connect, statement and read times. */
export function openPgPool(url: string, options: PgPoolOptions): OpenedDialect {
  const { poolMax = 10, connectTimeoutMs = 5_000, statementTimeoutMs = 10_000, onIdleError } = options
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: connectTimeoutMs,
    // The server cancels a slow statement first; the client-side read timeout is the backstop for a
    // server or network that has gone silent, when no cancel can arrive.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + connectTimeoutMs,
    // A transaction left open by a stalled caller must not hold row locks indefinitely.
    idle_in_transaction_session_timeout: statementTimeoutMs * 3,
    // Detects a dead peer on idle connections; without it a half-open socket looks healthy.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'recording-service',
    types: pgTypes,
  })
  // pg emits 'error' when an idle client's connection drops (server restart, failover). With no
  // listener Node would crash the process; the pool has already discarded the client, and the next
  // checkout reconnects, so reporting it is all there is to do.
  pool.on('error', (error) => onIdleError?.(error))
  // A client that is checked out but between queries (a job holding a session lock, a transaction
  // awaiting application code) emits 'error' on itself when the server goes away, and no pool
  // listener covers it then: without this the process would crash. The pool drops the client on release.
  pool.on('connect', (client) => client.on('error', (error) => onIdleError?.(error)))
  return {
    kind: 'postgres',
    dialect: new PostgresDialect({ pool }),
    execScript: null,
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  }
}
