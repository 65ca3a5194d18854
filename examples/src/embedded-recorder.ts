import { FsBlobStore } from '@rec/adapters-fs'
import { migrateToLatest, openDatabase, PostgresRecordingRepo } from '@rec/adapters-postgres'
import { type RecordingLimits, RecordingService } from '@rec/domain'
import { MemoryCache, MemoryEventBus, MemoryTotalsCache, RandomIds, SystemClock } from '@rec/domain/memory'

export interface EmbeddedRecorderOptions {
  /** PostgreSQL URL; null embeds PGlite in `pgliteDir` (or in memory when that is null too). */
  readonly databaseUrl: string | null
  readonly pgliteDir?: string | null
  /** Where the media files go (the file-system BlobStore's directory). */
  readonly mediaDir: string
  readonly limits?: Partial<RecordingLimits>
  readonly warn?: (message: string, details: Record<string, unknown>) => void
}

export interface EmbeddedRecorder {
  readonly service: RecordingService
  close(): Promise<void>
}

const DEFAULT_LIMITS: RecordingLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxDurationMs: 4 * 3600_000,
  idleTimeoutMs: 300_000,
}

/**
 * The recording service with the real PostgreSQL and file-system adapters, and the in-process
 * cache, events and totals of a single instance: no HTTP, no Redis.
 *
 * @example
 * const recorder = await openEmbeddedRecorder({ databaseUrl: process.env.DATABASE_URL ?? null, mediaDir: './media' })
 * try { await recordSource(recorder.service, { userId, sessionId, source }) } finally { await recorder.close() }
 */
export async function openEmbeddedRecorder(options: EmbeddedRecorderOptions): Promise<EmbeddedRecorder> {
  const database = await openDatabase({ url: options.databaseUrl, dataDir: options.pgliteDir ?? null })
  try {
    await migrateToLatest(database.db)
  } catch (error) {
    await database.close()
    throw error
  }
  const clock = new SystemClock()
  // One process is the only writer of its media directory here (a single instance).
  const blobs = new FsBlobStore({ dir: options.mediaDir, topology: 'single' })
  const service = new RecordingService({
    repo: new PostgresRecordingRepo(database.db),
    blobs,
    cache: new MemoryCache(clock),
    totals: new MemoryTotalsCache(clock),
    events: new MemoryEventBus(),
    clock,
    ids: new RandomIds(),
    logger: { warn: options.warn ?? (() => {}) },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  })
  return {
    service,
    async close() {
      await blobs.close()
      await database.close()
    },
  }
}
