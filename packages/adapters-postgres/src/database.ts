import { Kysely, sql } from 'kysely'
import { type SqlExecutor, sqlExecutor } from './jobs/sql-executor.js'
import { openPgPool } from './open-pg-pool.js'
import type { OpenedDialect } from './opened-dialect.js'
import type { PoolStats } from './serial-connection-meter.js'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

export interface DatabaseOptions {
  /** A PostgreSQL URL; null runs the embedded PGlite instead. */
  readonly url: string | null
  /** Where PGlite keeps its files; null keeps them in memory (tests). Ignored with `url`. */
  readonly dataDir: string | null
  readonly poolMax?: number
  readonly connectTimeoutMs?: number
  readonly statementTimeoutMs?: number
  /** Told about errors on idle pooled connections, which pg would otherwise throw process-wide. */
  readonly onIdleError?: (error: Error) => void
  /**
   * PGlite already opening (`openPglite` from `@rec/adapters-postgres/open-pglite`), used instead
   * of opening it here when `url` is null: a process can start the second it takes while loading
   * the rest of its modules.
   */
  readonly pglite?: Promise<OpenedDialect>
}

export interface Database {
  readonly db: Kysely<Tables>
  readonly kind: 'postgres' | 'pglite'
  /** Rejects with DependencyUnavailableError when the database does not answer. */
  ping(): Promise<void>
  poolStats(): PoolStats
  /** Raw SQL for a library that brings its own (the job queue), through the same connections. */
  readonly executor: SqlExecutor
  /** Ends the pool or closes PGlite (which flushes it to `dataDir`). */
  close(): Promise<void>
}

/** Opens PostgreSQL through a pg Pool when `url` is set, else PGlite; same Kysely either way. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // PGlite (its WebAssembly PostgreSQL, ~10 MB of memory) is loaded only when it is the database.
  const opened =
    options.url === null
      ? await (options.pglite ?? (await import('./open-pglite.js')).openPglite(options.dataDir))
      : openPgPool(options.url, options)
  const db = new Kysely<Tables>({ dialect: opened.dialect })
  return {
    db,
    kind: opened.kind,
    async ping() {
      try {
        await sql`select 1`.execute(db)
      } catch (error) {
        throw translateError(error)
      }
    },
    poolStats: opened.stats,
    executor: sqlExecutor(db, opened.execScript),
    close: () => db.destroy(),
  }
}
