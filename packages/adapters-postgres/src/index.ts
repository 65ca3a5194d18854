export type { BlobUploadTable } from './blob-upload-table.js'
export { type Database, type DatabaseOptions, openDatabase } from './database.js'
export type { IdempotencyKeyTable } from './idempotency-key-table.js'
export { DueTaskOutbox, type MediaJobData, QUEUES, type WebhookJobData } from './jobs/due-task-outbox.js'
export type { JobStats } from './jobs/job-stats.js'
export {
  type JobQueueOptions,
  PgBossJobQueue,
  type QueuedJob,
  type QueueSpec,
} from './jobs/pg-boss-job-queue.js'
export type { SqlExecutor } from './jobs/sql-executor.js'
export { migrateToLatest } from './migrate-to-latest.js'
export { PostgresBlobUploadRepo } from './postgres-blob-upload-repo.js'
export { PostgresJobLock } from './postgres-job-lock.js'
export { PostgresRecordingRepo } from './postgres-recording-repo.js'
export { PostgresWriterLease } from './postgres-writer-lease.js'
export type { RecordingTable } from './recording-table.js'
export type { PoolStats } from './serial-connection-meter.js'
export type { Tables } from './tables.js'
