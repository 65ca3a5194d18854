import type { BlobUpload, BlobUploadRepo } from '@rec/domain'
import type { Kysely, Selectable } from 'kysely'
import type { BlobUploadTable } from './blob-upload-table.js'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

function toUpload(row: Selectable<BlobUploadTable>): BlobUpload {
  return {
    key: row.key,
    version: row.version,
    uploadId: row.upload_id,
    nextPartNumber: row.next_part_number,
    parts: row.parts,
    tail: row.tail,
    finished:
      row.checksum === null ? null : { sizeBytes: Number(row.size_bytes ?? 0), checksum: row.checksum },
  }
}

function toRow(upload: BlobUpload) {
  return {
    key: upload.key,
    version: upload.version,
    upload_id: upload.uploadId,
    next_part_number: upload.nextPartNumber,
    parts: JSON.stringify(upload.parts),
    tail: JSON.stringify(upload.tail),
    size_bytes: upload.finished?.sizeBytes ?? null,
    checksum: upload.finished?.checksum ?? null,
    updated_at: new Date(),
  }
}

/** BlobUploadRepo on the `blob_uploads` table: one row per blob, saved by compare-and-set on `version`. */
export class PostgresBlobUploadRepo implements BlobUploadRepo {
  readonly #db: Kysely<Tables>

  constructor(db: Kysely<Tables>) {
    this.#db = db
  }

  async find(key: string): Promise<BlobUpload | null> {
    const row = await this.#run(() =>
      this.#db.selectFrom('blob_uploads').selectAll().where('key', '=', key).executeTakeFirst(),
    )
    return row ? toUpload(row) : null
  }

  async save(next: BlobUpload, expectedVersion: number): Promise<boolean> {
    const row = toRow(next)
    const saved = await this.#run(() =>
      expectedVersion === 0
        ? this.#db
            .insertInto('blob_uploads')
            .values(row)
            .onConflict((oc) => oc.column('key').doNothing())
            .returning('key')
            .executeTakeFirst()
        : this.#db
            .updateTable('blob_uploads')
            .set(row)
            .where('key', '=', next.key)
            .where('version', '=', expectedVersion)
            .returning('key')
            .executeTakeFirst(),
    )
    return saved !== undefined
  }

  async delete(key: string): Promise<void> {
    await this.#run(() => this.#db.deleteFrom('blob_uploads').where('key', '=', key).execute())
  }

  async listUnfinished(limit: number): Promise<readonly BlobUpload[]> {
    const rows = await this.#run(() =>
      this.#db
        .selectFrom('blob_uploads')
        .selectAll()
        .where('checksum', 'is', null)
        .orderBy('updated_at')
        .limit(limit)
        .execute(),
    )
    return rows.map(toUpload)
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query()
    } catch (error) {
      throw translateError(error)
    }
  }
}
