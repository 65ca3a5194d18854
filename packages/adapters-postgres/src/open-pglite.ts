import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { OpenedDialect } from './opened-dialect.js'
import { SerialConnectionMeter } from './serial-connection-meter.js'

/** Embedded PostgreSQL: in memory when `dataDir` is null, else persisted there. Takes seconds. */
export async function openPglite(dataDir: string | null): Promise<OpenedDialect> {
  if (dataDir !== null) await mkdir(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir ?? 'memory://')
  const meter = new SerialConnectionMeter()
  // Kysely's driver.destroy() closes PGlite, which writes everything to dataDir.
  return {
    kind: 'pglite',
    dialect: meter.wrap(new PGliteDialect(pglite)),
    stats: () => meter.stats(),
    execScript: async (text) => ({ rows: (await pglite.exec(text)).at(-1)?.rows ?? [] }),
  }
}
