import { normaliseId, type WriterLease } from '@rec/domain'
import { type Kysely, sql } from 'kysely'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

/**
 * WriterLease on the `writer_leases` table: taking it is one upsert that increments the token, so
 * two instances taking it at once get two different tokens and the later one wins.
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
