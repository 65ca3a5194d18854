import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, spawnNode, waitFor200 } from './lib/children.js'
import { plainJs } from './lib/plain-js.js'
import { createDatabase, startService, stopService } from './lib/service.js'
import { FLOOD } from './settings.js'
import { rawTarget, serviceTarget } from './steps/ingest-step.js'
import { ingestRound } from './suites/ingest.js'

const raw = spawnNode({ args: [plainJs('raw-ingest-server.ts')], env: {}, port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'zz-')) })
await waitFor200(`${raw.url}/health`, performance.now(), raw)
const db = await createDatabase()
const svc = await startService({ databaseUrl: db.url })
for (const [name, pid, target] of [['raw', raw.pid, rawTarget(raw)], ['service', svc.pid, await serviceTarget(svc)]] as const) {
  const st = spawn('strace', ['-c', '-f', '-e', 'trace=read,readv,write,writev,pwritev,fdatasync,futex,epoll_wait', '-p', String(pid)], { stdio: ['ignore', 'inherit', 'inherit'] })
  await new Promise((r) => setTimeout(r, 500))
  const r = await ingestRound(target, { streams: 1, durationMs: 6000, pace: FLOOD })
  console.log(name, r.mbps.toFixed(1), 'MB/s', (r.mbps * 6).toFixed(0), 'MB in all')
  st.kill('SIGINT')
  await new Promise((r) => st.once('exit', r))
}
await stopService(svc)
await raw.stop()
await db.drop()
