import type { Format, MediaFacts, Quality, RecordingStatus, StopReason, StoredRendition } from '@rec/domain'
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely'

/** Columns of `recordings`, as the migrations create them. */
export interface RecordingTable {
  id: string
  session_id: string
  user_id: string
  status: RecordingStatus
  quality: Quality
  format: Format
  /** bigint: pg returns int8 as a string to stay exact; PGlite returns a number. */
  size_bytes: ColumnType<string | number | bigint, number, number>
  /** Milliseconds; the seed's column name and type are kept. */
  duration: number | null
  checksum: string | null
  stop_reason: StopReason | null
  failure_reason: string | null
  /** The blob key; kept from the seed so tools that read it still find the media. */
  storage_path: string | null
  /** The client's file name (tus `filename`); added by 0005. */
  name: string | null
  /** The announced total size (tus `Upload-Length`), int8 like size_bytes; added by 0005. */
  upload_length: ColumnType<string | number | bigint | null, number | null, number | null>
  started_at: Date
  stopped_at: Date | null
  last_activity_at: Date
  created_at: Date
  updated_at: Date
  /** jsonb, written only by `saveMedia` (never by the saves of the state machine). */
  media: ColumnType<MediaFacts | null, never, string>
  /** jsonb `{ key, sizeBytes, checksum }` of the seekable rendition, set with `media`. */
  seekable: ColumnType<StoredRendition | null, never, string | null>
}

export type RecordingRow = Selectable<RecordingTable>
export type NewRecordingRow = Insertable<RecordingTable>
export type RecordingRowUpdate = Updateable<RecordingTable>
