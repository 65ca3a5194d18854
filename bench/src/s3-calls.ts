/**
 * Where the time of an S3 append goes: one writer appends batches of 64 KiB frames through
 * `S3BlobStore` (as one stream's session does in a flood) against the test S3 server, with every
 * S3 command and every upload-record call timed, and the S3 server's CPU read from /proc.
 *
 *   pnpm --filter @rec/bench exec tsx --conditions=source src/s3-calls.ts [seconds] [batch MiB]
 */
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { migrateToLatest, openDatabase, PostgresBlobUploadRepo } from '@rec/adapters-postgres'
import { openS3Client, S3BlobStore } from '@rec/adapters-s3'
import type { BlobUploadRepo } from '@rec/domain'
import { startTestS3 } from '../../test/support/s3-server.js'
import { childPid, cpuSeconds } from './lib/children.js'
import { createDatabase } from './lib/service.js'

const seconds = Number(process.argv[2] ?? 10)
const batchBytes = Number(process.argv[3] ?? 4) * 2 ** 20
const FRAME = 64 * 1024

const timings = new Map<string, { n: number; ms: number; bytes: number }>()
const note = (name: string, ms: number, bytes = 0): void => {
  const t = timings.get(name) ?? { n: 0, ms: 0, bytes: 0 }
  timings.set(name, { n: t.n + 1, ms: t.ms + ms, bytes: t.bytes + bytes })
}
async function timed<T>(name: string, f: () => Promise<T>, bytes = 0): Promise<T> {
  const started = performance.now()
  try {
    return await f()
  } finally {
    note(name, performance.now() - started, bytes)
  }
}

const bench = await createDatabase()
const database = await openDatabase({ url: bench.url, dataDir: null })
const s3 = await startTestS3()
try {
  await migrateToLatest(database.db)
  const client = openS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: s3.credentials,
  })
  // Every command, from the SDK's first middleware to its response.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Body?: Uint8Array }
      return timed(`S3 ${context.commandName ?? '?'}`, () => next(args), input.Body?.byteLength ?? 0)
    },
    { step: 'initialize', name: 'benchTiming' },
  )
  const repo = new PostgresBlobUploadRepo(database.db)
  const uploads: BlobUploadRepo = {
    find: (key) => timed('PG find', () => repo.find(key)),
    save: (n, v, f) => timed('PG save', () => repo.save(n, v, f)),
    delete: (key) => timed('PG delete', () => repo.delete(key)),
    listUnfinished: (limit) => repo.listUnfinished(limit),
  }
  const bucket = await s3.newBucket()
  const store = new S3BlobStore({ client, bucket, uploads })
  const pid = childPid('s3rver')
  const frame = new Uint8Array(FRAME).fill(7)
  async function* body(bytes: number): AsyncIterable<Uint8Array> {
    for (let sent = 0; sent < bytes; sent += FRAME) yield frame.subarray(0, Math.min(FRAME, bytes - sent))
  }

  // s3rver's own ceiling: 1 MiB PutObjects, one at a time.
  const one = new Uint8Array(2 ** 20).fill(7)
  let putBytes = 0
  const putStart = performance.now()
  while (performance.now() - putStart < 3000) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `raw-${putBytes}`, Body: one }))
    putBytes += one.byteLength
  }
  const putSeconds = (performance.now() - putStart) / 1000
  timings.clear()

  const key = crypto.randomUUID()
  const cpu0 = { self: process.cpuUsage(), s3: pid ? cpuSeconds(pid) : 0 }
  const started = performance.now()
  let offset = 0
  while (performance.now() - started < seconds * 1000) {
    offset = await timed('append (whole)', () => store.append(key, offset, body(batchBytes)), batchBytes)
  }
  const elapsed = (performance.now() - started) / 1000
  const self = process.cpuUsage(cpu0.self)
  const s3Cpu = pid ? cpuSeconds(pid) - cpu0.s3 : Number.NaN
  await timed('finalize', () => store.finalize(key))

  console.log(`S3 server: ${s3.kind}${pid ? ` (pid ${pid})` : ''}`)
  console.log(
    `PutObject 1 MiB, one at a time, alone: ${(putBytes / 1e6 / putSeconds).toFixed(1)} MB/s (${((putSeconds * 1000) / (putBytes / one.byteLength)).toFixed(1)} ms each)`,
  )
  console.log(
    `append of ${batchBytes / 2 ** 20} MiB batches for ${elapsed.toFixed(1)} s: ${(offset / 1e6 / elapsed).toFixed(1)} MB/s stored`,
  )
  console.log(
    `CPU over the appends, in cores: this process (store + SDK + pg) ${((self.user + self.system) / 1e6 / elapsed).toFixed(2)}, S3 server ${(s3Cpu / elapsed).toFixed(2)}`,
  )
  console.log('| call | count | total ms | % of append time | mean ms | MB sent |')
  console.log('|---|---|---|---|---|---|')
  const appendMs = timings.get('append (whole)')?.ms ?? 1
  for (const [name, t] of [...timings].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `| ${name} | ${t.n} | ${t.ms.toFixed(0)} | ${((t.ms / appendMs) * 100).toFixed(1)} | ${(t.ms / t.n).toFixed(1)} | ${(t.bytes / 1e6).toFixed(1)} |`,
    )
  }
} finally {
  await s3.dispose()
  await database.close()
  await bench.drop()
}
