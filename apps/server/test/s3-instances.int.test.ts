import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { serviceS3Env, startTestS3 } from '#test-support/s3-server.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { sendAll, takeOver } from './support/takeover-scenario.js'
import { TakeoverTranscript } from './support/takeover-transcript.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { until } from './support/until.js'
import { TestSocket } from './support/ws-client.js'

// Three processes with BLOB_STORE=s3, each with its own empty DATA_DIR, sharing PostgreSQL, Redis
// and a bucket: instances with no disk in common (SPEC §12).
const why = POSTGRES_UNAVAILABLE ?? REDIS_UNAVAILABLE
const s3 = why === null ? await startTestS3() : null
const MiB = 1024 * 1024

describe.skipIf(s3 === null)(`three instances on S3 (${s3?.kind ?? `skipped: ${why}`})`, () => {
  const servers: ChildServer[] = []
  const dataDirs: string[] = []
  const cleanups: (() => Promise<unknown>)[] = []
  let bucket = ''
  let env: Record<string, string> = {}
  beforeAll(async () => {
    if (!s3) return
    bucket = await s3.newBucket()
    const database = await freshPostgresDatabase()
    cleanups.push(database.drop)
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: await redisServerUrl(),
      ...serviceS3Env(s3, bucket),
      S3_PREFIX: 'media/',
    }
    for (let i = 0; i < 3; i++) {
      const dataDir = await mkdtemp(join(tmpdir(), 'rec-s3-instance-'))
      dataDirs.push(dataDir)
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
      const server = await startChildServer({ ...env, DATA_DIR: dataDir })
      servers.push(server)
      cleanups.push(() => server.stop('SIGKILL'))
    }
  }, 180_000)
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    await s3?.dispose()
  })
  const at = (i: number): ChildServer => servers[i] as ChildServer

  async function user() {
    const token = await signToken(crypto.randomUUID())
    const auth = { authorization: `Bearer ${token}` }
    const api = (server: ChildServer) => `${server.url}/api/v1`
    return {
      auth,
      async start(server: ChildServer): Promise<string> {
        const res = await fetch(`${api(server)}/recordings/start`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ sessionId: crypto.randomUUID() }),
        })
        expect(res.status).toBe(201)
        return ((await res.json()) as { id: string }).id
      },
      stream: (server: ChildServer, id: string) =>
        new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`),
      content: async (server: ChildServer, id: string) =>
        new Uint8Array(
          await (await fetch(`${api(server)}/recordings/${id}/content`, { headers: auth })).arrayBuffer(),
        ),
      call: (server: ChildServer, method: string, path: string, init: RequestInit = {}) =>
        fetch(`${api(server)}${path}`, { ...init, method, headers: { ...auth, ...(init.headers ?? {}) } }),
    }
  }
  const media = (size: number, seed: number): Uint8Array =>
    new Uint8Array(size).map((_, i) => (i * 131 + (i >> 9) + seed) & 0xff)
  async function objects(prefix: string): Promise<string[]> {
    const client = new S3Client({
      endpoint: s3?.endpoint,
      region: s3?.region,
      forcePathStyle: true,
      credentials: s3?.credentials,
    })
    try {
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
      return (out.Contents ?? []).map((o) => o.Key ?? '')
    } finally {
      client.destroy()
    }
  }

  /** The readiness body once it answers 200 (a loaded machine may miss the 1 s budget at first). */
  async function readyWithin(server: ChildServer, ms: number): Promise<unknown> {
    const deadline = Date.now() + ms
    for (;;) {
      const res = await fetch(`${server.url}/health/ready`)
      const body: unknown = await res.json()
      if (res.status === 200 || Date.now() > deadline) return body
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  it('starts each instance with no media on its disk and names the bucket in its start-up log', async () => {
    for (const server of servers) {
      expect(server.lines.find((l) => l.includes('listening'))).toContain(`media: s3://${bucket}/media/`)
      expect(await readyWithin(server, 15_000)).toMatchObject({ checks: { storage: 'ok' } })
    }
    for (const dir of dataDirs) expect(await readdir(dir)).toEqual([])
  })

  it('hands a stream on A over to a newer stream of the owner on B: A gets 4000, nothing lost or doubled', async () => {
    const u = await user()
    const id = await u.start(at(0))
    const bytes = media(13 * MiB + 123, 1)
    const transcript = new TakeoverTranscript()
    const out = await takeOver({ user: u, id, a: at(0), b: at(1), reader: at(2), bytes, transcript })
    transcript.addServerLog('server A', at(0), id)
    transcript.addServerLog('server B', at(1), id)
    console.log(
      await transcript.save('takeover-transcript-s3.txt', 'takeover across instances: BLOB_STORE=s3'),
    )
    // A stored its queue under its still-valid token and was closed by its instance, not fenced.
    expect(out.closeA.code).toBe(4000)
    expect(out.errorA).toBeUndefined()
    expect(out.ackedByA).toBeGreaterThanOrEqual(out.ackedBeforeB)
    expect(out.ready).toBe(out.ackedByA)
    expect(out.completed.recording).toMatchObject({ status: 'completed', sizeBytes: bytes.byteLength })
    expect(Buffer.compare(out.content, bytes)).toBe(0)
  }, 120_000)

  it('refuses at the store a writer that could not answer (frozen): B takes over after the bound', async () => {
    const u = await user()
    const frozen = at(2)
    const id = await u.start(frozen)
    const bytes = media(7 * MiB + 9, 4)
    const transcript = new TakeoverTranscript()
    const a = u.stream(frozen, id)
    await a.ofType('ready')
    await sendAll(a, bytes.subarray(0, 2 * MiB))
    await a.ackedAtLeast(2 * MiB)
    // C stops answering anything (a stalled VM, a long GC pause) with frames on the way to it.
    frozen.process.kill('SIGSTOP')
    transcript.note('C', `SIGSTOP; client A acked ${a.lastAck()}`)
    const late = sendAll(a, bytes.subarray(2 * MiB, 4 * MiB))
    const b = u.stream(at(1), id)
    const ready = (await b.ofType('ready', 30_000)).offset ?? -1
    transcript.note('client B', `ready offset ${ready}`)
    expect(ready).toBeGreaterThanOrEqual(a.lastAck())
    frozen.process.kill('SIGCONT')
    transcript.note('C', 'SIGCONT')
    const closed = await a.closed
    await late
    const error = a.messages.find((m) => m.type === 'error')
    transcript.note(
      'client A',
      `closed ${closed.code}${error ? ` after error ${error.code}` : ''}; last ack ${a.lastAck()}`,
    )
    // Once awake, C logs the stream's end (and serves the request it slept through, token outdated).
    await until(
      async () => frozen.lines.find((l) => l.includes(id) && l.includes('"closeCode"')) ?? null,
      15_000,
    )
    transcript.addServerLog('server C', frozen, id)
    transcript.addServerLog('server B', at(1), id)
    console.log(
      await transcript.save(
        'takeover-transcript-frozen.txt',
        'a frozen writer is refused by its fencing token (BLOB_STORE=s3)',
      ),
    )
    expect(at(1).lines.some((l) => l.includes(id) && l.includes('writer handoff asked: timed-out'))).toBe(
      true,
    )
    expect(closed.code).toBe(4000)
    // Whatever C did after waking, nothing it acked lies past B's ready: its stale appends were refused.
    expect(a.lastAck()).toBeLessThanOrEqual(ready)
    await sendAll(b, bytes.subarray(ready))
    await b.send(JSON.stringify({ type: 'stop' }))
    expect((await b.ofType('completed')).recording).toMatchObject({ sizeBytes: bytes.byteLength })
    expect(Buffer.compare(await u.content(at(1), id), bytes)).toBe(0)
  }, 120_000)

  it('continues on C, by PATCH, an upload streamed on A; then delete on B removes its objects', async () => {
    const u = await user()
    const id = await u.start(at(0))
    const bytes = media(7 * MiB + 5, 2)
    const a = u.stream(at(0), id)
    await a.ofType('ready')
    await sendAll(a, bytes.subarray(0, 3 * MiB))
    await a.ackedAtLeast(3 * MiB)
    a.close()
    await a.closed
    // The first PATCH at a stale offset says where to resume; then the rest goes from there.
    const head = await u.call(at(2), 'HEAD', `/recordings/${id}/content`)
    const offset = Number(head.headers.get('upload-offset'))
    expect(offset).toBeGreaterThanOrEqual(3 * MiB)
    const patch = await u.call(at(2), 'PATCH', `/recordings/${id}/content`, {
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
      body: bytes.subarray(offset),
    })
    expect(patch.status).toBe(204)
    expect(Number(patch.headers.get('upload-offset'))).toBe(bytes.byteLength)
    expect((await u.call(at(2), 'POST', `/recordings/${id}/stop`)).status).toBe(200)
    expect(Buffer.compare(await u.content(at(1), id), bytes)).toBe(0)
    expect(await objects(`media/${id}`)).toEqual([`media/${id}`])
    expect((await u.call(at(1), 'DELETE', `/recordings/${id}`)).status).toBe(204)
    expect(await objects(`media/${id}`)).toEqual([])
  }, 120_000)

  it('resumes byte-identically on B a stream cut by SIGKILL of A', async () => {
    const u = await user()
    const id = await u.start(at(0))
    const bytes = media(9 * MiB + 77, 3)
    const a = u.stream(at(0), id)
    await a.ofType('ready')
    await sendAll(a, bytes.subarray(0, 6 * MiB))
    await a.ackedAtLeast(5 * MiB)
    const acked = a.lastAck()
    await at(0).stop('SIGKILL')
    await a.closed
    const b = u.stream(at(1), id)
    const ready = await b.ofType('ready')
    expect(ready.offset ?? 0).toBeGreaterThanOrEqual(acked)
    await sendAll(b, bytes.subarray(ready.offset ?? 0))
    await b.send(JSON.stringify({ type: 'stop' }))
    expect((await b.ofType('completed')).recording).toMatchObject({ sizeBytes: bytes.byteLength })
    expect(Buffer.compare(await u.content(at(2), id), bytes)).toBe(0)
  }, 120_000)
})
