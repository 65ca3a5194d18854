import { CompiledQuery, type Kysely } from 'kysely'
import type { Tables } from '../tables.js'

/** What pg-boss calls to run its SQL (its `Db`), here on our own Kysely connections. */
export interface SqlExecutor {
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>
}

/**
 * Runs raw SQL through Kysely, so the queue shares the pool (pg) or the single serialized
 * connection (PGlite) with every other query, and a statement in a transaction stays in it. A
 * parameterless script (pg-boss's schema and maintenance, several statements in BEGIN…COMMIT) goes
 * to PGlite's `exec` while Kysely's one connection is held, so nothing interleaves with it.
 */
export function sqlExecutor(
  db: Kysely<Tables>,
  execScript: ((text: string) => Promise<{ rows: unknown[] }>) | null,
): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      if (values.length === 0 && execScript !== null) {
        return db.connection().execute(() => execScript(text))
      }
      const result = await db.executeQuery<unknown>(CompiledQuery.raw(text, [...values]))
      return { rows: [...(result.rows ?? [])] }
    },
  }
}

/** The same, inside an open transaction (`trx`): what is sent commits or rolls back with it. */
export function transactionExecutor(trx: Kysely<Tables>): SqlExecutor {
  return sqlExecutor(trx, null)
}
