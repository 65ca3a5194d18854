import type { DatabaseConnection, Dialect, Driver, TransactionSettings } from 'kysely'

export interface PoolStats {
  readonly total: number
  readonly idle: number
  readonly waiting: number
}

/**
 * Wraps a single-connection dialect (PGlite) to report its use the way pg's Pool does. The inner
 * driver already queues callers for its one connection, so a transaction owns the connection until
 * it ends and concurrent transactions run one after another; this only counts.
 */
export class SerialConnectionMeter {
  #busy = 0
  #waiting = 0

  stats(): PoolStats {
    return { total: 1, idle: this.#busy > 0 ? 0 : 1, waiting: this.#waiting }
  }

  wrap(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => this.#wrapDriver(dialect.createDriver()),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createIntrospector: (db) => dialect.createIntrospector(db),
    }
  }

  #wrapDriver(driver: Driver): Driver {
    return {
      init: () => driver.init(),
      acquireConnection: async (): Promise<DatabaseConnection> => {
        this.#waiting++
        try {
          const connection = await driver.acquireConnection()
          this.#busy++
          return connection
        } finally {
          this.#waiting--
        }
      },
      releaseConnection: (connection: DatabaseConnection) => {
        this.#busy--
        return driver.releaseConnection(connection)
      },
      beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) =>
        driver.beginTransaction(connection, settings),
      commitTransaction: (connection: DatabaseConnection) => driver.commitTransaction(connection),
      rollbackTransaction: (connection: DatabaseConnection) => driver.rollbackTransaction(connection),
      destroy: () => driver.destroy(),
    }
  }
}
