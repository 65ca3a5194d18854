import type { BlobUpload, BlobUploadRepo } from '@rec/domain'
import { type Kysely, type Selectable, sql } from 'kysely'
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

  async save(
    next: BlobUpload,
    expectedVersion: number,
    fence: number | null,
  ): Promise<'saved' | 'conflict' | 'fenced'> {
    const row = toRow(next)
    // FOR SHARE on the lease row: a writer taking the lease waits until this save commits, and a
    // save after a take reads the new token. Either the bytes are in before the take, or refused.
    const guard =
      fence === null
        ? sql<boolean>`true`
        : sql<boolean>`coalesce((select token from writer_leases where key = ${next.key} for share), 0) <= ${fence}`
    const saved = await this.#run(async () =>
      expectedVersion === 0
        ? (
            await sql<{ key: string }>`
              insert into blob_uploads
                (key, version, upload_id, next_part_number, parts, tail, size_bytes, checksum, updated_at)
              select ${row.key}, ${row.version}, ${row.upload_id}, ${row.next_part_number}, ${row.parts}::jsonb,
                ${row.tail}::jsonb, ${row.size_bytes}, ${row.checksum}, ${row.updated_at}
              where ${guard}
              on conflict (key) do nothing
              returning key`.execute(this.#db)
          ).rows[0]
        : this.#db
            .updateTable('blob_uploads')
            .set(row)
            .where('key', '=', next.key)
            .where('version', '=', expectedVersion)
            .where(guard)
            .returning('key')
            .executeTakeFirst(),
    )
    if (saved !== undefined) return 'saved'
    if (fence === null) return 'conflict'
    const lease = await this.#run(() =>
      this.#db.selectFrom('writer_leases').select('token').where('key', '=', next.key).executeTakeFirst(),
    )
    return lease && Number(lease.token) > fence ? 'fenced' : 'conflict'
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
