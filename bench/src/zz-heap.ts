import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './lib/children.js'
import { createDatabase, signToken, startRecordings, startService, stopService } from './lib/service.js'
import { IngestStream } from './lib/stream-client.js'

const N = Number(process.argv[2] ?? 1000)
const db = await createDatabase()
process.env.BENCH_NODE_FLAGS = '--heapsnapshot-signal=SIGUSR2'
const svc = await startService({ databaseUrl: db.url })
const snap = async (): Promise<string> => {
  const before = new Set(readdirSync(ROOT).filter((f) => f.endsWith('.heapsnapshot')))
  process.kill(svc.pid, 'SIGUSR2')
  for (;;) {
    await new Promise((r) => setTimeout(r, 500))
    const f = readdirSync(ROOT).find((x) => x.endsWith('.heapsnapshot') && !before.has(x))
    if (f) {
      const size = statSync(join(ROOT, f)).size
      await new Promise((r) => setTimeout(r, 1500))
      if (statSync(join(ROOT, f)).size === size) return join(ROOT, f)
    }
  }
}
const rss = () => Number(readFileSync(`/proc/${svc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]) / 1024
try {
  const token = await signToken(crypto.randomUUID())
  const warm = await startRecordings(svc.url, token, 20)
  console.log('rss idle MB', rss().toFixed(0))
  const s0 = await snap()
  console.log('rss after snap0', rss().toFixed(0))
  await new Promise((r) => setTimeout(r, 7000))
  const tokens = await Promise.all(Array.from({ length: N / 10 }, () => signToken(crypto.randomUUID())))
  const streams: IngestStream[] = []
  for (const t of tokens) {
    const ids = await startRecordings(svc.url, t, 10)
    for (const id of ids)
      streams.push(
        new IngestStream(`${svc.wsUrl}/api/v1/recordings/${id}/stream`, { authorization: `Bearer ${t}` }, []),
      )
  }
  await Promise.all(streams.map((s) => s.ready()))
  const runs = streams.map((s) => s.run(3000, { kind: 'paced', bytesPerSecond: 8000, frameMs: 250 }))
  await new Promise((r) => setTimeout(r, 2000))
  console.log('rss with streams MB', rss().toFixed(0))
  const s1 = await snap()
  await Promise.all(runs)
  console.log(JSON.stringify({ s0, s1, warm: warm.length }))
} finally {
  await stopService(svc)
  await db.drop()
}
