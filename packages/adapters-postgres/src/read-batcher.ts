import { isUuid, normaliseId } from '@rec/domain'
import type { Kysely } from 'kysely'
import type { RecordingRow } from './recording-table.js'
import type { Tables } from './tables.js'

type Row = RecordingRow

interface Waiting {
  readonly resolve: (row: Row | null) => void
  readonly reject: (error: unknown) => void
}

/**
 * Reads of recordings by id, coalesced. With nothing in flight a read is its own statement; while
 * `maxInFlight` are running, the ids asked for meanwhile go together as one `where id in (…)`.
 * When thousands of streams attach at once (each reads its row), that is a handful of statements
 * instead of thousands queueing for a pool of ten, where they ran into the pool's wait limit
 * (bench, 4,000 streams). Every read is issued after it was asked for, so it sees every write
 * that finished before.
 */
export class ReadBatcher {
  readonly #db: Kysely<Tables>
  readonly #maxInFlight: number
  readonly #maxBatch: number
  #queue = new Map<string, Waiting[]>()
  #inFlight = 0

  constructor(db: Kysely<Tables>, { maxInFlight = 2, maxBatch = 500 } = {}) {
    this.#db = db
    this.#maxInFlight = maxInFlight
    this.#maxBatch = maxBatch
  }

  find(id: string): Promise<Row | null> {
    // No row has an id that is not a UUID; asked for in a batch, it would fail the whole statement.
    if (!isUuid(id)) return Promise.resolve(null)
    const key = normaliseId(id)
    return new Promise((resolve, reject) => {
      const waiting = this.#queue.get(key)
      if (waiting) waiting.push({ resolve, reject })
      else this.#queue.set(key, [{ resolve, reject }])
      this.#pump()
    })
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.size > 0) {
      const batch = new Map<string, Waiting[]>()
      for (const [id, waiting] of this.#queue) {
        if (batch.size >= this.#maxBatch) break
        batch.set(id, waiting)
      }
      for (const id of batch.keys()) this.#queue.delete(id)
      this.#inFlight++
      void this.#run(batch).finally(() => {
        this.#inFlight--
        this.#pump()
      })
    }
  }

  async #run(batch: ReadonlyMap<string, readonly Waiting[]>): Promise<void> {
    try {
      const ids = [...batch.keys()]
      const query = this.#db.selectFrom('recordings').selectAll()
      const rows =
        ids.length === 1
          ? await query.where('id', '=', ids[0] as string).execute()
          : await query.where('id', 'in', ids).execute()
      const found = new Map(rows.map((row) => [normaliseId(row.id), row]))
      for (const [id, waiting] of batch) for (const w of waiting) w.resolve(found.get(id) ?? null)
    } catch (error) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(error)
    }
  }
}
