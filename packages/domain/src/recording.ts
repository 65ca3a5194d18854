import type { MediaFacts, StoredRendition } from './media-facts.js'

export const RECORDING_STATUSES = ['recording', 'stopping', 'completed', 'failed'] as const
export type RecordingStatus = (typeof RECORDING_STATUSES)[number]

export const QUALITIES = ['low', 'medium', 'high'] as const
export type Quality = (typeof QUALITIES)[number]

export const FORMATS = ['webm', 'mp4', 'mkv', 'ogg', 'wav', 'mp3'] as const
export type Format = (typeof FORMATS)[number]

export const STOP_REASONS = ['client', 'limit_size', 'limit_duration', 'idle_timeout'] as const
export type StopReason = (typeof STOP_REASONS)[number]

export interface RecordingConfig {
  readonly quality: Quality
  readonly format: Format
}

export const DEFAULT_CONFIG: RecordingConfig = { quality: 'high', format: 'webm' }

/** The media type each format fixes for downloads. */
export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  webm: 'video/webm',
  mp4: 'video/mp4',
  mkv: 'video/x-matroska',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
}

export interface Recording {
  readonly id: string
  readonly sessionId: string
  readonly userId: string
  readonly status: RecordingStatus
  readonly config: RecordingConfig
  /** Bytes stored; while recording it may lag the blob store by one progress interval. */
  readonly sizeBytes: number
  readonly durationMs: number | null
  readonly checksum: string | null
  readonly stopReason: StopReason | null
  readonly failureReason: string | null
  /** A name the client gave it (a tus upload's `filename`); null when none. */
  readonly name: string | null
  /**
   * The total size the client announced (a tus upload's `Upload-Length`): reaching it completes
   * the recording. Null while unknown (streams, or a deferred length).
   */
  readonly uploadLength: number | null
  readonly startedAt: Date
  readonly stoppedAt: Date | null
  /** Last time bytes arrived or a client attached: the idle timeout counts from here. */
  readonly lastActivityAt: Date
  readonly createdAt: Date
  readonly updatedAt: Date
  /** Read from the stored bytes after completion (SPEC §13); null until then. */
  readonly media: MediaFacts | null
  /** A seekable copy (duration and cues) of a WebM that had neither; null when none was needed or made. */
  readonly seekable: StoredRendition | null
}

export const isTerminal = (status: RecordingStatus): boolean => status === 'completed' || status === 'failed'
export const isActive = (status: RecordingStatus): boolean => !isTerminal(status)
