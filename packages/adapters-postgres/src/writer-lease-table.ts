import type { ColumnType } from 'kysely'

/** Columns of `writer_leases`: the newest fencing token taken for each blob key. */
export interface WriterLeaseTable {
  key: string
  /** bigint: pg returns int8 as a string; PGlite a number. */
  token: ColumnType<string | number, number, number>
  taken_at: ColumnType<Date, Date | undefined, Date>
}
