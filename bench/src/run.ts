import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type Child, freePort, ROOT, spawnNode, waitFor200 } from './lib/children.js'
import { topSelfTime } from './lib/cpu-profile.js'
import { plainJs } from './lib/plain-js.js'
import { newReport, writeReport } from './lib/results.js'
import { createDatabase, type Service, startService, stopService } from './lib/service.js'
import { QUICK, runs, settings } from './settings.js'
import { coldStep } from './steps/cold-step.js'
import { dbStep } from './steps/db-step.js'
import { httpStep } from './steps/http-step.js'
import { ingestStep } from './steps/ingest-step.js'
import { s3Step } from './steps/s3-step.js'
import { scaleStep } from './steps/scale-step.js'
import { uploadStep } from './steps/upload-step.js'
import { seedDatabase } from './suites/seed.js'

const started = performance.now()
const log = (line: string): void => {
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`)
}
const out =
  process.env.BENCH_OUT ?? (QUICK ? join(tmpdir(), 'bench-RESULTS-quick.md') : join(ROOT, 'bench/RESULTS.md'))
// BENCH_PROFILE=1 runs the long-lived service under --cpu-prof and summarises it at the end.
const profileDir =
  process.env.BENCH_PROFILE === '1' ? join(ROOT, 'bench/profiles', String(Date.now())) : undefined

// 4,000 streams need 4,000+ descriptors in this process and in the server (`pnpm bench` raises
// the soft limit to the hard one first; the children inherit it).
const fdLimit = Number(readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)/)?.[1] ?? 0)
const mostStreams = Math.max(...settings.scaleCounts)
if (fdLimit < mostStreams + 1024) {
  log(`warning: open-file limit ${fdLimit} is low for ${mostStreams} streams; raise it with ulimit -n`)
}

if (process.env.BENCH_SKIP_BUILD !== '1') {
  log('building (pnpm build: tsc -b, the recorder page, the server bundle)')
  const build = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('pnpm build failed')
}

async function baseline(script: string): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-raw-'))
  const child = spawnNode({ args: [plainJs(script)], env: {}, port: await freePort(), dataDir })
  await waitFor200(`${child.url}/health`, performance.now(), child)
  return child
}

const report = newReport()
const database = await createDatabase()
const children: Child[] = []
let service: Service | null = null
try {
  if (runs('cold')) await coldStep(database.url, report, log)
  const raw = await baseline('raw-ingest-server.ts')
  const hono = await baseline('hono-server.ts')
  children.push(raw, hono)
  // The HTTP ingest peers, only for the upload suite.
  const uploadPeers = runs('upload')
    ? { raw: await baseline('raw-upload-server.ts'), tus: await baseline('tus-server.ts') }
    : null
  if (uploadPeers) children.push(uploadPeers.raw, uploadPeers.tus)
  if (profileDir) mkdirSync(profileDir, { recursive: true })
  service = await startService({
    databaseUrl: database.url,
    ...(profileDir ? { cpuProfDir: profileDir } : {}),
  })
  if (runs('flood') || runs('video')) await ingestStep(raw, service, report, log)
  // The curve is drawn beside the results, which link it by name.
  if (runs('scale')) await scaleStep(raw, service, report, join(dirname(out), 'scaling.svg'), log)
  if (runs('s3')) await s3Step(service, database.url, report, log, profileDir)
  if (uploadPeers) await uploadStep(uploadPeers.raw, uploadPeers.tus, service, report, log)
  if (runs('http') || runs('db')) {
    log(`seeding ${settings.seedRows} recordings across ${settings.seedUsers} users`)
    log(
      `  seeded in ${(await seedDatabase(database.url, settings.seedRows, settings.seedUsers)).toFixed(1)} s`,
    )
  }
  if (runs('http')) await httpStep(hono, service, report, log)
  if (runs('db')) await dbStep(service, database.url, report, log)
} catch (error) {
  // A child that died says why in its last lines.
  for (const child of service ? [...children, service] : children) {
    log(`child ${child.pid} (port ${child.port}), last lines:\n${child.lines.slice(-15).join('\n')}`)
  }
  throw error
} finally {
  if (service) await stopService(service)
  for (const child of children) {
    await child.stop()
    rmSync(child.dataDir, { recursive: true, force: true })
  }
  await database.drop()
}

if (profileDir) {
  for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
    const top = topSelfTime(join(profileDir, file), 20)
    report.sections.push({
      title: `CPU profile of the service (${file}), top self time`,
      body: [
        '| self % | ms | function | where |',
        '|---|---|---|---|',
        ...top.map((h) => `| ${h.percent.toFixed(1)} | ${h.selfMs.toFixed(0)} | ${h.name} | ${h.where} |`),
      ].join('\n'),
    })
  }
  if (process.env.BENCH_KEEP_PROFILE !== '1') rmSync(profileDir, { recursive: true, force: true })
}
// The hand-written findings (profiles, before/after rows of fixes) follow the measured table.
const notes = join(ROOT, 'bench/NOTES.md')
if (existsSync(notes)) report.sections.push({ title: 'Findings', body: readFileSync(notes, 'utf8').trim() })
const wallSeconds = (performance.now() - started) / 1000
writeReport(out, report, { command: `${QUICK ? 'BENCH_QUICK=1 ' : ''}pnpm bench`, wallSeconds, quick: QUICK })
log(`wrote ${out}`)
for (const row of report.rows)
  log(
    `${row.met === false ? 'MISS' : row.met ? ' ok ' : '    '} ${row.figure}: ${row.service} | ${row.baseline} | ${row.ratio}`,
  )
