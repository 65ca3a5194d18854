import type { AfterCompletionOptions } from './after-completion/due-task.js'
import type { ServedBlob } from './content-variant.js'
import type { BlobRange, BlobStore, ByteChunks } from './ports/blob-store.js'
import type { Cache } from './ports/cache.js'
import type { Clock } from './ports/clock.js'
import type { EventBus } from './ports/event-bus.js'
import type { IdGenerator } from './ports/id-generator.js'
import type { ListVersions } from './ports/list-versions.js'
import type { Logger } from './ports/logger.js'
import type { RecordingRepo } from './ports/recording-repo.js'
import type { TotalsCache } from './ports/totals-cache.js'
import type { WriterHandoff } from './ports/writer-handoff.js'
import type { WriterLease } from './ports/writer-lease.js'
import type { Recording, RecordingConfig } from './recording.js'
import type { Topology } from './topology.js'

export interface RecordingLimits {
  readonly maxBytes: number
  readonly maxDurationMs: number
  readonly idleTimeoutMs: number
}

export interface RecordingServiceDeps {
  readonly repo: RecordingRepo
  readonly blobs: BlobStore
  readonly cache: Cache
  /**
   * Keeps list totals between writes. Without one every list counts its rows; an in-process one
   * is right for a single instance only, since writes elsewhere would not reach it.
   */
  readonly totals?: TotalsCache
  /**
   * The users' list versions: with them, pages are held in this process until a write of the
   * user's rows moves the version (shared through Redis, so across instances). Null: every list
   * reads the repository.
   */
  readonly listVersions?: ListVersions | null
  readonly events: EventBus
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly logger: Logger
  readonly limits: RecordingLimits
  /** How often, at most, progress is saved and published per recording. */
  readonly progressIntervalMs?: number
  /**
   * Progress saves of streams, all recordings together, at most this many a second (500 by
   * default): with more streams attached than that, each one's interval grows past
   * `progressIntervalMs` (2,000 streams: every 4 s). The row's size then lags the stored bytes
   * by a few seconds at most, far inside the idle timeout, and the database load stays flat.
   */
  readonly progressSavesPerSecond?: number
  readonly cacheTtlSeconds?: number
  readonly idempotencyTtlMs?: number
  /** How long a `stopping` recording may stay so before `expire` finishes it (crash recovery). */
  readonly stuckStoppingMs?: number
  /**
   * `shared` when several instances share the stores: each append then re-reads the status after
   * writing, so bytes written after another instance stopped the recording are never acked.
   * Default `single`.
   */
  readonly topology?: Topology
  /**
   * One writer per recording across instances: `attach` and appends with `fence: 'take'` take it,
   * and the blob store refuses appends whose token is older (SPEC §12). Null: no lease.
   */
  readonly lease?: WriterLease | null
  /**
   * With a lease: asks the stream holding it on another instance to store its pending bytes and
   * close with 4000 before `attach` takes it (SPEC §6.5 across instances). Null: none asked.
   */
  readonly handoff?: WriterHandoff | null
  /** After-completion work made due with each completion, failure and delete (none by default). */
  readonly afterCompletion?: AfterCompletionOptions
}

export interface StartCommand {
  readonly userId: string
  readonly sessionId: string
  readonly config?: Partial<RecordingConfig> | undefined
  readonly idempotencyKey?: string | undefined
  /** A name for it (a tus upload's `filename`). */
  readonly name?: string | null | undefined
  /** The total size announced by a resumable upload: reaching it completes the recording. */
  readonly uploadLength?: number | null | undefined
}

export interface AppendCommand {
  readonly userId: string
  readonly id: string
  readonly offset: number
  readonly body: ByteChunks
  /**
   * 'now' saves the size before resolving; 'throttled' (the default: streams, §5 PATCHes) saves it
   * behind the append at most once a progress interval, the next save, `touch` or `stop` bringing
   * the row current; 'upload' (tus) as 'throttled', but saves first when the saved activity is
   * more than UPLOAD_EXPIRES_SLACK_MS old, so `AppendResult.upload.expiresAt` is early by less.
   */
  readonly progress?: 'now' | 'throttled' | 'upload'
  /**
   * The writer's lease token from `attach`, or 'take' to take the lease for this append alone (an
   * upload request). Without a WriterLease in the deps it is ignored.
   */
  readonly fence?: number | 'take' | null
}

export interface AppendResult {
  /** Bytes stored after this append: every byte below it is in the blob store. */
  readonly offset: number
  /** Set when a limit completed the recording during this append. */
  readonly completed: Recording | null
  /**
   * With `progress` 'now' or 'upload', while still uploading: the upload's offset and
   * `expiresAt`, so the caller need not ask `uploadState` again (a tus PATCH answer). `expiresAt`
   * is that of the row as saved, which the janitor goes by: never late; with `progress: 'upload'`
   * at most UPLOAD_EXPIRES_SLACK_MS early.
   */
  readonly upload?: Extract<UploadState, { readonly kind: 'uploading' }>
}

/** A requested byte range before it is checked against the size (`bytes=a-b`, `bytes=-n`). */
export type RequestedRange =
  | { readonly kind: 'from'; readonly start: number; readonly end: number | null }
  | { readonly kind: 'suffix'; readonly length: number }

export interface Content {
  readonly recording: Recording
  /** The bytes served: the original, or a rendition of it. */
  readonly served: ServedBlob
  /** The served range, or null for the whole blob. */
  readonly range: BlobRange | null
  readonly body: AsyncIterable<Uint8Array>
}

export type ContentState =
  | { readonly kind: 'uploading'; readonly recording: Recording; readonly offset: number }
  | { readonly kind: 'completed'; readonly recording: Recording }

/** Where a resumable upload stands (tus HEAD): still taking bytes, or done. */
export type UploadState =
  | {
      readonly kind: 'uploading'
      readonly recording: Recording
      readonly offset: number
      /** Last activity plus the idle timeout: left alone past it, the upload ends. */
      readonly expiresAt: Date
    }
  | { readonly kind: 'completed'; readonly recording: Recording }
