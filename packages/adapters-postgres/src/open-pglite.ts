import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { OpenedDialect } from './opened-dialect.js'
import { SerialConnectionMeter } from './serial-connection-meter.js'

/**
 * PGlite's own start parameters, plus a 32 MB buffer pool instead of initdb's 128 MB: PGlite
 * sets the pool up inside its WebAssembly memory on every open, and with 128 MB that was 0.7 of
 * the 1.7 s an open of existing data took here (8, 16 and 32 MB opened alike, in about 1.0 s).
 * The embedded database serves one laptop's recordings; production runs PostgreSQL (DATABASE_URL).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB']

/** Embedded PostgreSQL: in memory when `dataDir` is null, else persisted there. Takes seconds. */
export async function openPglite(dataDir: string | null): Promise<OpenedDialect> {
  if (dataDir !== null) await mkdir(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir ?? 'memory://', { startParams: START_PARAMS })
  const meter = new SerialConnectionMeter()
  // Kysely's driver.destroy() closes PGlite, which writes everything to dataDir.
  return {
    kind: 'pglite',
    dialect: meter.wrap(new PGliteDialect(pglite)),
    stats: () => meter.stats(),
    execScript: async (text) => ({ rows: (await pglite.exec(text)).at(-1)?.rows ?? [] }),
  }
}

export type { OpenedDialect }
