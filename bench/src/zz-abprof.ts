/**
 * Before/after of two builds in one run: `BENCH_AB_BASE=<other checkout, built> pnpm --filter
 * @rec/bench ab [audio|video|flood] [streams] [seconds] [rounds]`. The raw baseline, the other
 * build and this one take turns, round after round, so drift in the machine's load hits all
 * three; each line of the log is one round. For the before/after rows of bench/NOTES.md.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, freePort, spawnNode, waitFor200 } from './lib/children.js'
import { plainJs } from './lib/plain-js.js'
import { createDatabase, type Service, startService, stopService } from './lib/service.js'
import { AUDIO, FLOOD, VIDEO } from './settings.js'
import { rawTarget, serviceTarget } from './steps/ingest-step.js'
import { compareIngest } from './suites/ingest.js'

const base = process.env.BENCH_AB_BASE
if (!base) throw new Error('BENCH_AB_BASE must name another checkout with a build (pnpm build)')
const [kind = 'audio', streamsArg, secondsArg, roundsArg] = process.argv.slice(2)
const pace = kind === 'video' ? VIDEO : kind === 'flood' ? FLOOD : AUDIO
const streams = Number(streamsArg ?? (kind === 'video' ? 200 : kind === 'flood' ? 1 : 2000))
const seconds = Number(secondsArg ?? 20)
const rounds = Number(roundsArg ?? 2)
const started = performance.now()
const log = (line: string): void => {
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`)
}

const rawDir = mkdtempSync(join(tmpdir(), 'bench-raw-'))
const raw: Child = spawnNode({
  args: ['--trace-gc', plainJs('raw-ingest-server.ts')],
  env: {},
  port: await freePort(),
  dataDir: rawDir,
})
await waitFor200(`${raw.url}/health`, performance.now(), raw)
const databases = [await createDatabase(), await createDatabase()]
const services: Service[] = []
try {
  services.push(await startService({ databaseUrl: databases[0]?.url ?? '', root: base }))
  services.push(await startService({ databaseUrl: databases[1]?.url ?? '' }))
  const [before, after] = services as [Service, Service]
  log(`${kind}: ${streams} stream(s), ${seconds} s × ${rounds}; before = ${base}`)
  const results = await compareIngest(
    [rawTarget(raw), await serviceTarget(before, 'before'), await serviceTarget(after, 'after')],
    { streams, durationMs: seconds * 1000, pace },
    { baseline: rounds, service: rounds },
    log,
  )
  for (const [name, r] of [
    ['raw', results[0]],
    ['before', results[1]],
    ['after', results[2]],
  ] as const) {
    if (!r) continue
    log(
      `median ${name}: ${r.mbps.toFixed(1)} MB/s, kept up ${r.keptUp}/${r.streams}, ack p50 ${r.p50.toFixed(1)} ms ` +
        `p99 ${r.p99.toFixed(1)} ms, RSS ${(r.rssBytes / 1e6).toFixed(0)} MB, CPU ${r.cpuCores.toFixed(2)} cores, ` +
        `${((r.cpuCores / r.mbps) * 1000).toFixed(0)} CPU s per GB`,
    )
  }
} finally {
  for (const s of services) await stopService(s)
  await raw.stop()
  rmSync(rawDir, { recursive: true, force: true })
  for (const d of databases) await d.drop()
}
