import { normaliseId, type RecordingStatus } from '@rec/domain'
import { type Kysely, sql } from 'kysely'
import type { NewRecordingRow } from './recording-table.js'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

interface Pending {
  readonly row: NewRecordingRow
  readonly expected: RecordingStatus
  readonly resolve: (saved: boolean) => void
  readonly reject: (error: unknown) => void
}

export interface UpdateBatcherOptions {
  /** Statements in flight at once; updates that arrive meanwhile wait and go together. */
  readonly maxInFlight?: number
  /** Rows in one statement (15 parameters each, far below PostgreSQL's 65,535). */
  readonly maxBatch?: number
}

/**
 * Compare-and-set updates of recordings, coalesced (group commit). With nothing in flight an
 * update is its own statement; while `maxInFlight` are running, the ones that arrive queue up and
 * then go as one `UPDATE … FROM (VALUES …)`. At 2,000 streams each saving its size once a second,
 * that is a handful of statements a second instead of 2,000 that queue for the pool
 * (bench/NOTES.md). Every caller still learns whether its own row was saved, and waits for it.
 */
export class UpdateBatcher {
  readonly #db: Kysely<Tables>
  readonly #maxInFlight: number
  readonly #maxBatch: number
  #queue: Pending[] = []
  #inFlight = 0
  /** Rows with an update in flight: a later update of the same row waits for it, so they apply in order. */
  readonly #busy = new Set<string>()

  constructor(db: Kysely<Tables>, { maxInFlight = 2, maxBatch = 500 }: UpdateBatcherOptions = {}) {
    this.#db = db
    this.#maxInFlight = maxInFlight
    this.#maxBatch = maxBatch
  }

  /** Saves `row` if the stored status is still `expected`; resolves false when it is not or the row is gone. */
  update(row: NewRecordingRow, expected: RecordingStatus): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, expected, resolve, reject })
      this.#pump()
    })
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#take()
      if (batch.length === 0) return
      this.#inFlight++
      for (const pending of batch) this.#busy.add(pending.row.id)
      void this.#run(batch).finally(() => {
        for (const pending of batch) this.#busy.delete(pending.row.id)
        this.#inFlight--
        this.#pump()
      })
    }
  }

  /**
   * Up to maxBatch queued updates of distinct rows not in flight, oldest first; a later update of
   * a row waits its turn.
   */
  #take(): Pending[] {
    const batch: Pending[] = []
    const ids = new Set<string>()
    const rest: Pending[] = []
    for (const pending of this.#queue) {
      if (batch.length < this.#maxBatch && !ids.has(pending.row.id) && !this.#busy.has(pending.row.id)) {
        ids.add(pending.row.id)
        batch.push(pending)
      } else {
        rest.push(pending)
      }
    }
    this.#queue = rest
    return batch
  }

  async #run(batch: readonly Pending[]): Promise<void> {
    try {
      const saved = batch.length === 1 ? await this.#one(batch) : await this.#many(batch)
      for (const pending of batch) pending.resolve(saved.has(normaliseId(pending.row.id)))
    } catch (error) {
      if (batch.length === 1 || translateError(error) !== error) {
        for (const pending of batch) pending.reject(error)
        return
      }
      // Not an outage but one row the database refused: run them singly, so only its caller fails.
      await Promise.all(batch.map((pending) => this.#run([pending])))
    }
  }

  async #one(batch: readonly Pending[]): Promise<Set<string>> {
    const [pending] = batch
    if (!pending) return new Set()
    const { id, user_id, session_id, created_at, ...changes } = pending.row
    const result = await this.#db
      .updateTable('recordings')
      .set(changes)
      .where('id', '=', id)
      .where('status', '=', pending.expected)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n ? new Set([normaliseId(id)]) : new Set()
  }

  async #many(batch: readonly Pending[]): Promise<Set<string>> {
    // Every value is cast: a VALUES list takes its column types from them, not from the table.
    const values = sql.join(
      batch.map(
        ({ row: r, expected }) => sql`(${r.id}::uuid, ${expected}::varchar, ${r.status}::varchar,
          ${r.quality}::varchar, ${r.format}::varchar, ${r.size_bytes}::bigint, ${r.duration}::integer,
          ${r.checksum}::varchar, ${r.stop_reason}::varchar, ${r.failure_reason}::text,
          ${r.storage_path}::varchar, ${r.started_at}::timestamptz, ${r.stopped_at}::timestamptz,
          ${r.last_activity_at}::timestamptz, ${r.updated_at}::timestamptz, ${r.upload_length}::bigint)`,
      ),
    )
    const result = await sql<{ id: string }>`update recordings as r set
        status = v.status, quality = v.quality, format = v.format, size_bytes = v.size_bytes,
        duration = v.duration, checksum = v.checksum, stop_reason = v.stop_reason,
        failure_reason = v.failure_reason, storage_path = v.storage_path, started_at = v.started_at,
        stopped_at = v.stopped_at, last_activity_at = v.last_activity_at, updated_at = v.updated_at,
        upload_length = v.upload_length
      from (values ${values}) as v(id, expected, status, quality, format, size_bytes, duration,
        checksum, stop_reason, failure_reason, storage_path, started_at, stopped_at,
        last_activity_at, updated_at, upload_length)
      where r.id = v.id and r.status = v.expected
      returning r.id`.execute(this.#db)
    return new Set(result.rows.map((row) => row.id))
  }
}
