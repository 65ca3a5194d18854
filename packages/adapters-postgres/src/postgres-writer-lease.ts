import { normaliseId, WriterFencedError, type WriterLease } from '@rec/domain'
import { type Kysely, sql } from 'kysely'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

/**
 * WriterLease on the `writer_leases` table: taking it is one upsert that increments the token, so
 * two instances taking it at once get two different tokens and the later one wins. A guarded write
 * holds the row `FOR SHARE` in a transaction while it runs; the upsert needs the row exclusively,
 * so a take waits for writes in flight under the old token (bounded by the pool's statement
 * timeout), and a write that starts after it reads the new token and is refused.
 */
export class PostgresWriterLease implements WriterLease {
  readonly #db: Kysely<Tables>

  constructor(db: Kysely<Tables>) {
    this.#db = db
  }

  async take(key: string): Promise<number> {
    try {
      const row = await this.#db
        .insertInto('writer_leases')
        .values({ key: normaliseId(key), token: 1, taken_at: new Date() })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ token: sql`writer_leases.token + 1`, taken_at: new Date() }),
        )
        .returning('token')
        .executeTakeFirstOrThrow()
      return Number(row.token)
    } catch (error) {
      throw translateError(error)
    }
  }

  async guard<T>(key: string, fence: number, write: () => Promise<T>): Promise<T> {
    try {
      // One connection for the whole write: the row lock lasts until the transaction ends.
      return await this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('writer_leases')
          .select('token')
          .where('key', '=', normaliseId(key))
          .forShare()
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
