import type { BlobUploadTable } from './blob-upload-table.js'
import type { IdempotencyKeyTable } from './idempotency-key-table.js'
import type { RecordingTable } from './recording-table.js'
import type { WriterLeaseTable } from './writer-lease-table.js'

/** The schema Kysely type-checks queries against. */
export interface Tables {
  recordings: RecordingTable
  idempotency_keys: IdempotencyKeyTable
  blob_uploads: BlobUploadTable
  writer_leases: WriterLeaseTable
}
