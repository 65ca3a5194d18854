import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unavailable } from '../../../apps/server/test/support/test-database.js'
import { signToken, startTestServer, type TestServer } from '../../../apps/server/test/support/test-server.js'
import { createClient, ProblemError } from '../src/index.js'

const MiB = 1024 * 1024
const media = (size: number) => new Uint8Array(size).map((_, i) => (i * 17 + (i >> 9)) & 0xff)
const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

describe('upload() over tus against the real server (SPEC §9)', () => {
  let server: TestServer
  const user = crypto.randomUUID()
  beforeAll(async () => {
    server = await startTestServer(unavailable('postgres') ? 'pglite' : 'postgres')
  })
  afterAll(() => server?.dispose())

  const client = (fetchImpl?: typeof fetch) =>
    createClient({
      baseUrl: server.url,
      getToken: () => signToken(user),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    })

  it('bytes in memory, in 1 MiB PATCHes: completes by itself with the checksum', async () => {
    const bytes = media(3 * MiB + 123)
    const progress: number[] = []
    const recording = await client().upload(bytes, {
      sessionId: crypto.randomUUID(),
      chunkSize: MiB,
      filename: 'talk.webm',
      onProgress: ({ uploadedBytes }) => progress.push(uploadedBytes),
    })
    expect(recording).toMatchObject({
      status: 'completed',
      sizeBytes: bytes.byteLength,
      checksum: sha(bytes),
    })
    expect(progress).toEqual([MiB, 2 * MiB, 3 * MiB, 3 * MiB + 123])
  })

  it('a File keeps its name; its format comes from config', async () => {
    const bytes = media(200_000)
    const file = new File([bytes], 'interview.ogg', { type: 'audio/ogg' })
    const recording = await client().upload(file, {
      sessionId: crypto.randomUUID(),
      config: { format: 'ogg' },
    })
    expect(recording).toMatchObject({ status: 'completed', checksum: sha(bytes), config: { format: 'ogg' } })
    expect((recording as { name?: string }).name).toBe('interview.ogg')
  })

  it('a ReadableStream of unknown length (Upload-Defer-Length, length sent with the last PATCH)', async () => {
    const bytes = media(2 * MiB + 5)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.byteLength; at += 100_000)
          controller.enqueue(bytes.slice(at, at + 100_000))
        controller.close()
      },
    })
    const recording = await client().upload(stream, { sessionId: crypto.randomUUID(), chunkSize: MiB })
    expect(recording).toMatchObject({
      status: 'completed',
      sizeBytes: bytes.byteLength,
      checksum: sha(bytes),
    })
  })

  it('a PATCH whose answer is lost is resumed from HEAD (the server kept its bytes)', async () => {
    const bytes = media(3 * MiB)
    const methods: string[] = []
    let patches = 0
    const flaky: typeof fetch = async (input, init) => {
      methods.push(init?.method ?? 'GET')
      const answer = await fetch(input, init)
      if (init?.method === 'PATCH' && ++patches === 2) throw new TypeError('network connection lost')
      return answer
    }
    const recording = await client(flaky).upload(bytes, {
      sessionId: crypto.randomUUID(),
      chunkSize: MiB,
      backoff: { initialMs: 1 },
    })
    expect(recording).toMatchObject({
      status: 'completed',
      sizeBytes: bytes.byteLength,
      checksum: sha(bytes),
    })
    expect(methods).toEqual(['POST', 'PATCH', 'PATCH', 'HEAD', 'PATCH', 'GET'])
  })

  it('bad input is a ProblemError, never retried', async () => {
    const methods: string[] = []
    const counting: typeof fetch = (input, init) => {
      methods.push(init?.method ?? 'GET')
      return fetch(input, init)
    }
    const error = await client(counting)
      .upload(media(10), { sessionId: 'not-a-uuid' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProblemError)
    expect(error).toMatchObject({ status: 400 })
    expect(methods).toEqual(['POST'])
  })
})

describe('the typed REST calls against the real server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(unavailable('postgres') ? 'pglite' : 'postgres')
  })
  afterAll(() => server?.dispose())

  it('start, status, get, list, stop, playbackUrl, delete; errors are ProblemErrors with the request id', async () => {
    const rest = createClient({ baseUrl: server.url, token: await signToken(crypto.randomUUID()) }).recordings
    const sessionId = crypto.randomUUID()
    const started = await rest.start({ sessionId, config: { format: 'webm' } }, { idempotencyKey: 'k-1' })
    expect(await rest.start({ sessionId, config: { format: 'webm' } }, { idempotencyKey: 'k-1' })).toEqual(
      started,
    )
    expect((await rest.status(started.id)).status).toBe('recording')
    const conflict = await rest.start({ sessionId }).catch((e: unknown) => e)
    expect(conflict).toMatchObject({ status: 409, code: 'RECORDING_ALREADY_ACTIVE' })
    expect((conflict as ProblemError).requestId).toMatch(/.+/)
    expect((await rest.list({ sessionId })).data.map((r) => r.id)).toEqual([started.id])
    const stopped = await rest.stop(started.id)
    expect(stopped).toMatchObject({ status: 'completed', sizeBytes: 0 })
    const playback = await rest.playbackUrl(started.id)
    expect(Date.parse(playback.expiresAt)).toBeGreaterThan(Date.now())
    expect((await fetch(playback.url)).status).toBe(200) // no Authorization
    await rest.delete(started.id)
    expect((await fetch(playback.url)).status).toBe(404)
    await expect(rest.get(started.id)).rejects.toMatchObject({ status: 404, code: 'RECORDING_NOT_FOUND' })
    await expect(rest.get('nope')).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
  })
})
