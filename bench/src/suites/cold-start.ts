import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startService, stopService } from '../lib/service.js'
import { median } from '../lib/stats.js'

export interface ColdStart {
  /** The very first start: PGlite initialises its data directory, or migrations run on PostgreSQL. */
  readonly firstMs: number
  /** Median of later starts on the existing data. */
  readonly medianMs: number
  readonly rounds: readonly number[]
  /** Spawn to the first `/health/ready` 200 (fully started): the first start, then the median of the others. */
  readonly firstReadyMs: number
  readonly medianReadyMs: number
}

/** Spawn to first `/health` 200, the first start and then `rounds` restarts on the same data. */
export async function coldStart(databaseUrl: string | null, rounds: number): Promise<ColdStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cold-'))
  try {
    const times: number[] = []
    const ready: number[] = []
    for (let r = 0; r <= rounds; r++) {
      const service = await startService({ databaseUrl, dataDir })
      times.push(service.startMs)
      ready.push(service.readyMs)
      await stopService(service, true)
    }
    const [firstMs = Number.NaN, ...later] = times
    const [firstReadyMs = Number.NaN, ...laterReady] = ready
    return {
      firstMs,
      medianMs: median(later),
      rounds: later,
      firstReadyMs,
      medianReadyMs: median(laterReady),
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
