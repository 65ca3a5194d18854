import type { IdempotencyKeyTable } from './idempotency-key-table.js'
import type { RecordingTable } from './recording-table.js'

/** The schema Kysely type-checks queries against. */
export interface Tables {
  recordings: RecordingTable
  idempotency_keys: IdempotencyKeyTable
}
