/**
 * Before/after of two builds on the upload suite in one run: `BENCH_AB_BASE=<other checkout,
 * built> pnpm --filter @rec/bench ab-upload [8m|256k|parallel|paced] [rounds]`. The raw server,
 * @tus/server and both builds' §5 PATCH and tus endpoint take turns round after round (see
 * bench/src/ab.ts), so the machine's drift hits all six; medians at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, freePort, spawnNode, waitFor200 } from './lib/children.js'
import { plainJs } from './lib/plain-js.js'
import { createDatabase, type Service, startService, stopService } from './lib/service.js'
import { rawTarget, serviceTargets, tusPeerTarget } from './steps/upload-step.js'
import { compareUploads, type UploadScenario, type UploadTarget } from './suites/upload.js'

const MiB = 1024 * 1024
const base = process.env.BENCH_AB_BASE
if (!base) throw new Error('BENCH_AB_BASE must name another checkout with a build (pnpm build)')
const [kind = '8m', roundsArg] = process.argv.slice(2)
const rounds = Number(roundsArg ?? 3)
const scenarios: Record<string, UploadScenario> = {
  '8m': { kind: 'max', uploads: 1, bytes: 256 * MiB, chunkBytes: 8 * MiB },
  '256k': { kind: 'max', uploads: 1, bytes: 256 * MiB, chunkBytes: 256 * 1024 },
  parallel: { kind: 'max', uploads: 8, bytes: 64 * MiB, chunkBytes: 8 * MiB },
  paced: { kind: 'paced', uploads: 50, chunkBytes: 256 * 1024, everyMs: 250, durationMs: 20_000 },
}
const scenario = scenarios[kind]
if (!scenario) throw new Error(`unknown case ${kind}: ${Object.keys(scenarios).join(', ')}`)
const started = performance.now()
const log = (line: string): void => {
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`)
}

async function baseline(script: string): Promise<Child> {
  const child = spawnNode({
    args: [plainJs(script)],
    env: {},
    port: await freePort(),
    dataDir: mkdtempSync(join(tmpdir(), 'bench-raw-')),
  })
  await waitFor200(`${child.url}/health`, performance.now(), child)
  return child
}

const peers = [await baseline('raw-upload-server.ts'), await baseline('tus-server.ts')] as const
const databases = [await createDatabase(), await createDatabase()]
const services: Service[] = []
try {
  services.push(await startService({ databaseUrl: databases[0]?.url ?? '', root: base }))
  services.push(await startService({ databaseUrl: databases[1]?.url ?? '' }))
  const [before, after] = services as [Service, Service]
  const named = (t: UploadTarget, name: string): UploadTarget => ({ ...t, name })
  const [bp, bt] = await serviceTargets(before)
  const [ap, at] = await serviceTargets(after)
  const targets = [
    rawTarget(peers[0]),
    tusPeerTarget(peers[1]),
    named(bp, 'before §5'),
    named(bt, 'before tus'),
    named(ap, 'after §5'),
    named(at, 'after tus'),
  ]
  log(`upload ${kind} × ${rounds} rounds; before = ${base}`)
  const results = await compareUploads(targets, scenario, [rounds], log)
  for (const [i, r] of results.entries()) {
    log(
      `median ${(targets[i]?.name ?? '').padEnd(12)}: ${r.mbps.toFixed(1)} MB/s, CPU ${r.cpuPerGB.toFixed(2)} s/GB, ` +
        `RSS ${(r.rssBytes / 1e6).toFixed(0)} MB, ` +
        (scenario.kind === 'paced'
          ? `kept up ${r.keptUp}/${r.uploads}, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`
          : `completing ${r.completeMs.toFixed(0)} ms`) +
        (r.errors.length ? `, errors: ${r.errors.join('; ')}` : ''),
    )
  }
} finally {
  for (const s of services) await stopService(s)
  for (const p of peers) {
    await p.stop()
    rmSync(p.dataDir, { recursive: true, force: true })
  }
  for (const d of databases) await d.drop()
}
