import type { BlobTailSegment, BlobUploadPart } from '@rec/domain'
import type { ColumnType } from 'kysely'

/** Columns of `blob_uploads`: what is durable of an unfinished object-storage blob. */
export interface BlobUploadTable {
  key: string
  version: number
  upload_id: string | null
  next_part_number: number
  parts: ColumnType<readonly BlobUploadPart[], string, string>
  tail: ColumnType<readonly BlobTailSegment[], string, string>
  size_bytes: ColumnType<string | null, number | null, number | null>
  checksum: string | null
  updated_at: ColumnType<Date, Date | undefined, Date>
}
