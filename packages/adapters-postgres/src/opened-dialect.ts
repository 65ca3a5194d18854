import type { Dialect } from 'kysely'
import type { PoolStats } from './serial-connection-meter.js'

/** What opening either backend yields for openDatabase to put Kysely on. */
export interface OpenedDialect {
  readonly kind: 'postgres' | 'pglite'
  readonly dialect: Dialect
  stats(): PoolStats
  /**
   * Runs a script of several statements without parameters, which PGlite's `query` refuses (it
   * takes one statement) and `exec` runs. Null where the dialect's query already does (pg).
   */
  readonly execScript: ((text: string) => Promise<{ rows: unknown[] }>) | null
}
