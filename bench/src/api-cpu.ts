import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { createDatabase, signToken, startRecordings, startService, stopService } from './lib/service.js'
import { HEAVY_USER, seedDatabase } from './suites/seed.js'

// `pnpm --filter @rec/bench api-cpu <checkout>...`: each checkout's built service (on one fresh
// database with a 10,000-recording user) under GET status (cache hit) and GET list (page 1, 20,
// gzip), 50 connections, `ROUNDS` rounds (default 2) of `SECS` seconds (default 6), the builds
// taking turns. Prints req/s, p99 and the server's CPU per request, read from /proc: on a shared
// machine the CPU per request moves far less than req/s.
const roots = process.argv.slice(2)
const rounds = Number(process.env.ROUNDS ?? 2)
const seconds = Number(process.env.SECS ?? 6)

const cpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100
}

const db = await createDatabase()
try {
  const services = []
  for (const root of roots) {
    const s = await startService({ databaseUrl: db.url, root })
    services.push({ root, s })
  }
  await seedDatabase(db.url, 20_000, 10)
  const heavy = await signToken(HEAVY_USER)
  for (let r = 0; r < rounds; r++) {
    for (const { root, s } of services) {
      const token = await signToken(crypto.randomUUID())
      const [id] = await startRecordings(s.url, token, 1)
      const loads = {
        status: {
          url: `${s.url}/api/v1/recordings/${id}/status`,
          headers: { authorization: `Bearer ${token}` },
        },
        list: {
          url: `${s.url}/api/v1/recordings?page=1&limit=20`,
          headers: { authorization: `Bearer ${heavy}`, 'accept-encoding': 'gzip' },
        },
      }
      for (const [name, load] of Object.entries(loads)) {
        await autocannon({ ...load, duration: 1, connections: 50 })
        const before = cpuMs(s.pid)
        const res = await autocannon({ ...load, duration: seconds, connections: 50 })
        const used = cpuMs(s.pid) - before
        const us = (used * 1000) / res.requests.total
        process.stdout.write(
          `${root.padEnd(20)} ${name.padEnd(7)} ${res.requests.average.toFixed(0).padStart(6)} req/s p99 ${String(res.latency.p99).padStart(4)} ms  ${us.toFixed(0)} µs CPU/req  non2xx ${res.non2xx}\n`,
        )
      }
    }
  }
  for (const { s } of services) await stopService(s)
} finally {
  await db.drop()
}
