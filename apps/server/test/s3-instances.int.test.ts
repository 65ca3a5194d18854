import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { startTestS3 } from '#test-support/s3-server.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'
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
      BLOB_STORE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: 'media/',
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
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
  async function sendAll(socket: TestSocket, bytes: Uint8Array, frame = 64 * 1024): Promise<void> {
    for (let i = 0; i < bytes.byteLength && socket.socket.readyState === 1; i += frame) {
      await socket.send(bytes.subarray(i, i + frame)).catch(() => {})
    }
  }
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
    const t0 = Date.now()
    const transcript: string[] = []
    const note = (line: string): void => {
      transcript.push(`${String(Date.now() - t0).padStart(5)} ms  ${line}`)
    }
    const a = u.stream(at(0), id)
    note(`A: ${(await a.ofType('ready')).offset === 0 ? 'ready offset 0' : 'ready?'}`)
    const firstCut = 6 * MiB + 7
    await sendAll(a, bytes.subarray(0, firstCut))
    note(`A: sent ${firstCut} bytes`)
    await a.ackedAtLeast(firstCut)
    note(`A: ack offset ${a.lastAck()}`)
    // More bytes in flight on A while B takes over.
    const inFlight = sendAll(a, bytes.subarray(firstCut, 8 * MiB))
    const b = u.stream(at(1), id)
    const ready = await b.ofType('ready')
    note(`B: ready offset ${ready.offset} (A's last ack then: ${a.lastAck()})`)
    await inFlight
    await sendAll(a, bytes.subarray(8 * MiB, 8 * MiB + 100_000))
    const closedA = await a.closed
    const errorA = a.messages.find((m) => m.type === 'error')
    note(`A: error ${errorA?.code}, closed ${closedA.code}; A's last ack ${a.lastAck()}`)
    expect(closedA.code).toBe(4000)
    expect(errorA).toMatchObject({ code: 'WRITER_FENCED' })
    // The ready offset is never below an acked one, on either instance.
    expect(ready.offset ?? 0).toBeGreaterThanOrEqual(a.lastAck())
    const head = await u.call(at(2), 'HEAD', `/recordings/${id}/content`)
    note(`C: HEAD Upload-Offset ${head.headers.get('upload-offset')}`)
    expect(Number(head.headers.get('upload-offset'))).toBe(ready.offset)
    await sendAll(b, bytes.subarray(ready.offset ?? 0))
    await b.send(JSON.stringify({ type: 'stop' }))
    const completed = await b.ofType('completed')
    note(`B: completed sizeBytes ${completed.recording?.sizeBytes} checksum ${completed.recording?.checksum}`)
    expect(completed.recording).toMatchObject({ status: 'completed', sizeBytes: bytes.byteLength })
    expect(Buffer.compare(await u.content(at(2), id), bytes)).toBe(0)
    note('C: GET content: byte-identical to what the client sent')
    const text = transcript.join('\n')
    console.log(`takeover across instances:\n${text}`)
    if (process.env.TAKEOVER_TRANSCRIPT) await writeFile(process.env.TAKEOVER_TRANSCRIPT, `${text}\n`)
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
