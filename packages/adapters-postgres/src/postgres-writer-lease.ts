import { normaliseId, WriterFencedError, type WriterLease } from '@rec/domain'
import { type Kysely, sql } from 'kysely'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

/** The advisory lock space of writer leases (two-key form: never the migrations' one-key lock). */
const LOCK_SPACE = sql.lit(0x52454357) // "RECW"

/**
 * WriterLease on the `writer_leases` table: taking it is one upsert that increments the token, so
 * two instances taking it at once get two different tokens and the later one wins.
 *
 * A guarded write holds a shared transaction-level advisory lock on the key while it runs; a take
 * needs it exclusively, so it waits for writes in flight under the old token (bounded by the
 * pool's statement timeout), and a write that starts after it reads the new token and is refused.
 * Advisory rather than a `FOR SHARE` row lock: a row lock is written to the table and its commit
 * waits for a WAL flush, which cost 4 ms per append; an advisory lock lives in memory only.
 */
export class PostgresWriterLease implements WriterLease {
  readonly #db: Kysely<Tables>

  constructor(db: Kysely<Tables>) {
    this.#db = db
  }

  async take(key: string): Promise<number> {
    const k = normaliseId(key)
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, hashtext(${k}))`.execute(trx)
        const row = await trx
          .insertInto('writer_leases')
          .values({ key: k, token: 1, taken_at: new Date() })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ token: sql`writer_leases.token + 1`, taken_at: new Date() }),
          )
          .returning('token')
          .executeTakeFirstOrThrow()
        return Number(row.token)
      })
    } catch (error) {
      throw translateError(error)
    }
  }

  async guard<T>(key: string, fence: number, write: () => Promise<T>): Promise<T> {
    const k = normaliseId(key)
    try {
      // One connection for the whole write: the lock lasts until the transaction ends.
      return await this.#db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock_shared(${LOCK_SPACE}, hashtext(${k}))`.execute(trx)
        // A statement of its own: its snapshot is taken after the lock, so a take that committed
        // while this one waited is seen.
        const row = await trx
          .selectFrom('writer_leases')
          .select('token')
          .where('key', '=', k)
          .executeTakeFirst()
        if ((row ? Number(row.token) : 0) > fence) throw new WriterFencedError(fence)
        return write()
      })
    } catch (error) {
      throw translateError(error)
    }
  }

  async current(key: string): Promise<number> {
    try {
      const row = await this.#db
        .selectFrom('writer_leases')
        .select('token')
        .where('key', '=', normaliseId(key))
        .executeTakeFirst()
      return row ? Number(row.token) : 0
    } catch (error) {
      throw translateError(error)
    }
  }
}
