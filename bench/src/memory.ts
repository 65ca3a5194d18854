/**
 * What a stream costs in memory: `pnpm --filter @rec/bench memory [streams] [seconds]` starts this
 * build (or BENCH_MEMORY_ROOT's), reads `/metrics` idle, then with `streams` paced 64 kbit/s streams
 * open after `seconds`, and prints both and the difference per stream. With
 * `BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2` it also has the service write a heap snapshot
 * (into the checkout's root) idle and under load, for a diff in DevTools.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { createDatabase, startService, stopService } from './lib/service.js'
import { IngestStream } from './lib/stream-client.js'
import { AUDIO } from './settings.js'
import { serviceTarget } from './steps/ingest-step.js'

const [streamsArg, secondsArg] = process.argv.slice(2)
const count = Number(streamsArg ?? 1000)
const seconds = Number(secondsArg ?? 15)
const snapshots = (process.env.BENCH_NODE_FLAGS ?? '').includes('--heapsnapshot-signal=SIGUSR2')

const FIGURES = [
  'process_resident_memory_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_used_bytes{space="old"}',
  'nodejs_heap_space_size_total_bytes{space="old"}',
  'nodejs_heap_space_size_total_bytes{space="new"}',
] as const

async function figures(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const name = FIGURES.find((f) => line.startsWith(`${f} `))
    if (name) out.set(name, Number(line.slice(name.length + 1)))
  }
  return out
}

const database = await createDatabase()
const root = process.env.BENCH_MEMORY_ROOT
const service = await startService({ databaseUrl: database.url, ...(root ? { root } : {}) })
try {
  const target = await serviceTarget(service)
  const endpoints = await target.endpoints(count)
  await sleep(2000)
  const idle = await figures(service.url)
  if (snapshots) process.kill(service.pid, 'SIGUSR2')
  const latencies: number[] = []
  const streams: IngestStream[] = []
  for (let i = 0; i < endpoints.length; i += 100) {
    const batch = endpoints.slice(i, i + 100).map((e) => new IngestStream(e.url, e.headers, latencies))
    await Promise.all(batch.map((s) => s.ready()))
    streams.push(...batch)
  }
  const running = Promise.all(streams.map((s) => s.run(seconds * 1000 + 5000, AUDIO)))
  await sleep(seconds * 1000)
  const loaded = await figures(service.url)
  if (snapshots) process.kill(service.pid, 'SIGUSR2')
  await running
  for (let i = 0; i < streams.length; i += 200)
    await Promise.all(streams.slice(i, i + 200).map((s) => s.stop()))
  latencies.sort((a, b) => a - b)
  const p = (q: number): string => (latencies[Math.floor((latencies.length - 1) * q)] ?? 0).toFixed(1)
  process.stdout.write(`${count} streams, ${seconds} s; ack p50 ${p(0.5)} ms, p99 ${p(0.99)} ms\n`)
  for (const name of FIGURES) {
    const a = idle.get(name) ?? 0
    const b = loaded.get(name) ?? 0
    process.stdout.write(
      `${name}: idle ${(a / 1e6).toFixed(1)} MB, loaded ${(b / 1e6).toFixed(1)} MB, ` +
        `${((b - a) / count / 1000).toFixed(1)} KB a stream\n`,
    )
  }
} finally {
  await stopService(service)
  await database.drop()
}
