/**
 * Before/after of two builds on the cold start in one run: `BENCH_AB_BASE=<other checkout, built>
 * pnpm --filter @rec/bench ab-cold [rounds]`. Each build gets a PGlite data directory of its own,
 * created by a first start; then the builds take turns starting on their existing data (spawn →
 * first `/health/ready` 200), and the medians are printed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startService, stopService } from './lib/service.js'
import { median } from './lib/stats.js'

const base = process.env.BENCH_AB_BASE
if (!base) throw new Error('BENCH_AB_BASE must name another checkout with a build (pnpm build)')
const rounds = Number(process.argv[2] ?? 5)
const builds = [
  { name: 'before', root: base as string | undefined, ready: [] as number[] },
  { name: 'after', root: undefined, ready: [] as number[] },
].map((b) => ({ ...b, dataDir: mkdtempSync(join(tmpdir(), 'bench-ab-cold-')) }))
const start = (b: (typeof builds)[number]) =>
  startService({ databaseUrl: null, dataDir: b.dataDir, ...(b.root ? { root: b.root } : {}) })
try {
  // The first start of each initialises its data directory; the rounds reopen it.
  for (const b of builds) await stopService(await start(b), true)
  for (let r = 0; r < rounds; r++) {
    for (const b of builds) {
      const s = await start(b)
      b.ready.push(s.readyMs)
      await stopService(s, true)
    }
  }
  for (const b of builds) {
    const each = b.ready.map((ms) => ms.toFixed(0)).join(', ')
    process.stdout.write(`${b.name.padEnd(7)} ready: median ${median(b.ready).toFixed(0)} ms (${each})\n`)
  }
} finally {
  for (const b of builds) rmSync(b.dataDir, { recursive: true, force: true })
}
