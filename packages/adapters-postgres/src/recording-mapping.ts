import type { Recording } from '@rec/domain'
import type { NewRecordingRow, RecordingRow } from './recording-table.js'

/** A row as the database returns it, through pg or PGlite, as a domain Recording. */
export function toRecording(row: RecordingRow): Recording {
  return {
    id: row.id,
    sessionId: row.session_id,
    userId: row.user_id,
    status: row.status,
    config: { quality: row.quality, format: row.format },
    // Exact up to 2^53 bytes (8 PiB), far past any recording limit.
    sizeBytes: Number(row.size_bytes),
    durationMs: row.duration,
    checksum: row.checksum,
    stopReason: row.stop_reason,
    failureReason: row.failure_reason,
    name: row.name,
    uploadLength: row.upload_length === null ? null : Number(row.upload_length),
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
    lastActivityAt: row.last_activity_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    media: row.media,
    seekable: row.seekable,
  }
}

/** Every column of `recording`; `storage_path` is the blob key, which is the recording id. */
export function toRow(recording: Recording): NewRecordingRow {
  return {
    id: recording.id,
    session_id: recording.sessionId,
    user_id: recording.userId,
    status: recording.status,
    quality: recording.config.quality,
    format: recording.config.format,
    size_bytes: recording.sizeBytes,
    duration: recording.durationMs,
    checksum: recording.checksum,
    stop_reason: recording.stopReason,
    failure_reason: recording.failureReason,
    storage_path: recording.id,
    name: recording.name,
    upload_length: recording.uploadLength,
    started_at: recording.startedAt,
    stopped_at: recording.stoppedAt,
    last_activity_at: recording.lastActivityAt,
    created_at: recording.createdAt,
    updated_at: recording.updatedAt,
  }
}
