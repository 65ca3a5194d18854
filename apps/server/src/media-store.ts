import { join } from 'node:path'
import { FsBlobStore } from '@rec/adapters-fs'
import { type Database, PostgresBlobUploadRepo } from '@rec/adapters-postgres'
import type { BlobStore, WriterLease } from '@rec/domain'
import type { Logger } from 'pino'
import type { Config } from './config.js'

/** The media store chosen by BLOB_STORE, with what the start-up log, readiness and shutdown need. */
export interface MediaStore {
  readonly blobs: BlobStore
  /** `fs:/path` or `s3://bucket/prefix`. */
  readonly description: string
  /** Rejects unless media can be written (fs) or the bucket answers (s3: HeadBucket). */
  check(): Promise<void>
  close(): Promise<void>
}

/** How often an S3 store looks for orphan uploads and tail objects (each instance; harmless twice). */
const SWEEP_INTERVAL_MS = 15 * 60_000

export interface MediaStoreDeps {
  readonly database: Database
  /** Set when several instances may write one recording (Redis or S3): stores refuse stale writers. */
  readonly lease: WriterLease | null
  readonly logger: Logger
}

export async function openMediaStore(
  config: Config,
  { database, lease, logger }: MediaStoreDeps,
): Promise<MediaStore> {
  if (config.BLOB_STORE === 'fs') {
    const dir = join(config.dataDir, 'media')
    // `single`: the only instance (SPEC §2), the only writer of its media directory.
    const blobs = new FsBlobStore({ dir, topology: config.topology, lease })
    return { blobs, description: `fs:${dir}`, check: () => blobs.checkWritable(), close: () => blobs.close() }
  }
  // Loaded only when configured: the AWS SDK is a large part of start-up otherwise.
  const { openS3Client, S3BlobStore } = await import('@rec/adapters-s3')
  const client = openS3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
  })
  const blobs = new S3BlobStore({
    client,
    bucket: config.S3_BUCKET ?? '',
    prefix: config.S3_PREFIX,
    uploads: new PostgresBlobUploadRepo(database.db),
  })
  const sweep = setInterval(() => {
    blobs.sweepOrphans(new Date()).then(
      (swept) => {
        if (swept.abortedUploads + swept.removedSegments > 0) logger.info(swept, 'swept orphan media objects')
      },
      (error: unknown) => logger.warn({ err: error }, 'sweeping orphan media objects failed'),
    )
  }, SWEEP_INTERVAL_MS)
  sweep.unref()
  return {
    blobs,
    description: blobs.describe(),
    check: () => blobs.checkReady(),
    close: async () => {
      clearInterval(sweep)
      client.destroy()
    },
  }
}
