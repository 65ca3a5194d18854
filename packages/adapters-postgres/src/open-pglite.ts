import type { OpenedDialect } from './opened-dialect.js'
import { pgliteDialect } from './pglite-dialect.js'
import { openPgliteThread, type PgliteClient } from './pglite-thread.js'
import { SerialConnectionMeter } from './serial-connection-meter.js'

/** Embedded PostgreSQL (`pglite-thread.ts`): in memory when `dataDir` is null, else persisted there. */
export async function openPglite(dataDir: string | null): Promise<OpenedDialect> {
  return pgliteOpened(await openPgliteThread(dataDir))
}

/** Kysely on a PGlite already open (the service starts the open before loading this module). */
export function pgliteOpened(client: PgliteClient): OpenedDialect {
  const meter = new SerialConnectionMeter()
  // Kysely's driver.destroy() closes PGlite, which writes everything to its directory.
  return {
    kind: 'pglite',
    dialect: meter.wrap(pgliteDialect(client)),
    stats: () => meter.stats(),
    execScript: async (text) => ({ rows: (await client.exec(text)).at(-1)?.rows ?? [] }),
  }
}

export type { OpenedDialect }
