import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import type { PgliteClient } from './pglite-thread.js'

/**
 * Kysely on the embedded database's one connection (PGlite is one PostgreSQL backend): callers
 * take turns, and a transaction keeps the connection from its BEGIN to its COMMIT or ROLLBACK.
 */
export function pgliteDialect(client: PgliteClient): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(client),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  }
}

class PgliteDriver implements Driver {
  readonly #client: PgliteClient
  readonly #connection: DatabaseConnection
  #taken = false
  readonly #waiting: Array<(connection: DatabaseConnection) => void> = []

  constructor(client: PgliteClient) {
    this.#client = client
    this.#connection = new PgliteConnection(client)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#taken) {
      this.#taken = true
      return this.#connection
    }
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift()
    if (next) next(this.#connection)
    else this.#taken = false
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ''
    const mode = settings.accessMode ? ` ${settings.accessMode}` : ''
    await connection.executeQuery(CompiledQuery.raw(`start transaction${level}${mode}`))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  destroy(): Promise<void> {
    return this.#client.close()
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly #client: PgliteClient

  constructor(client: PgliteClient) {
    this.#client = client
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#client.query<R>(compiled.sql, compiled.parameters)
    // As pg reports it: a count for statements that change rows, none for a select.
    return result.affectedRows
      ? { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) }
      : { rows: result.rows }
  }

  /** The rows are read whole (one backend, nothing to page from), then handed out in chunks. */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0)
      throw new Error('chunkSize must be a positive integer')
    const { rows } = await this.#client.query<R>(compiled.sql, compiled.parameters)
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) }
  }
}
