import type { Dialect } from 'kysely'
import type { PoolStats } from './serial-connection-meter.js'

/** What opening either backend yields for openDatabase to put Kysely on. */
export interface OpenedDialect {
  readonly kind: 'postgres' | 'pglite'
  readonly dialect: Dialect
  stats(): PoolStats
}
