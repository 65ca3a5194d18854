import { createHash } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InProcessRateLimiter } from '../src/rate-limit/in-process-rate-limiter.js'
import { ALICE, BOB, bytes, type Harness, makeHarness, SESSION, sha256Hex } from './harness.js'
import { listen, metadata, tusHeaders } from './tus-support.js'

const UPLOAD = 'application/offset+octet-stream'
const b64 = (algorithm: string, data: Uint8Array) => createHash(algorithm).update(data).digest('base64')

let h: Harness
let base: string
let close: () => Promise<void>
let auth: Record<string, string>

async function serveHarness(options: Parameters<typeof makeHarness>[0] = {}): Promise<void> {
  await close?.()
  h = makeHarness(options)
  ;({ base, close } = await listen(h))
  auth = await h.auth()
}
beforeEach(() => serveHarness())
afterEach(() => close())

const uploads = () => `${base}/api/v1/uploads`

async function create(headers: Record<string, string> = {}, body?: Uint8Array): Promise<Response> {
  return fetch(uploads(), {
    method: 'POST',
    headers: tusHeaders(auth, { 'Upload-Metadata': metadata({ sessionId: SESSION }), ...headers }),
    ...(body ? { body } : {}),
  })
}
async function createdUrl(headers: Record<string, string> = {}): Promise<string> {
  const res = await create({ 'Upload-Length': '100', ...headers })
  expect(res.status).toBe(201)
  return `${base}${res.headers.get('Location')}`
}
const head = (url: string, headers = tusHeaders(auth)) => fetch(url, { method: 'HEAD', headers })
const patch = (url: string, offset: number, body: Uint8Array, more: Record<string, string> = {}) =>
  fetch(url, {
    method: 'PATCH',
    headers: tusHeaders(auth, { 'Content-Type': UPLOAD, 'Upload-Offset': String(offset), ...more }),
    body,
  })
const recordingOf = (url: string) => h.service.get(h.repo === undefined ? '' : auth && ALICE, idOf(url))
const idOf = (url: string) => url.split('/').at(-2) ?? ''

describe('tus creation (SPEC §9)', () => {
  it('creates a recording from Upload-Metadata: 201, Location = content URL, Upload-Expires', async () => {
    const res = await create({
      'Upload-Length': '100',
      'Upload-Metadata': metadata({
        sessionId: SESSION,
        filetype: 'audio/ogg',
        quality: 'low',
        filename: 'talk.ogg',
        relativePath: 'null',
        name: 'added by Uppy',
      }),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('Tus-Resumable')).toBe('1.0.0')
    const location = res.headers.get('Location') ?? ''
    expect(location).toMatch(/^\/api\/v1\/recordings\/[0-9a-f-]{36}\/content$/)
    const expires = Date.parse(res.headers.get('Upload-Expires') ?? '')
    expect(expires).toBe(h.clock.now().getTime() - (h.clock.now().getTime() % 1000) + 300_000)
    expect(res.headers.get('Content-Type')).toBeNull()
    const recording = await recordingOf(`${base}${location}`)
    expect(recording).toMatchObject({
      sessionId: SESSION,
      config: { format: 'ogg', quality: 'low' },
      name: 'talk.ogg',
      uploadLength: 100,
      status: 'recording',
    })
    const json = (await (
      await fetch(`${base}/api/v1/recordings/${recording.id}`, { headers: auth })
    ).json()) as {
      name: string
    }
    expect(json.name).toBe('talk.ogg')
  })

  it('takes format over filetype, and an unknown filetype leaves the default', async () => {
    const a = await createdUrl({
      'Upload-Metadata': metadata({ sessionId: SESSION, format: 'mkv', filetype: 'audio/ogg' }),
    })
    expect((await recordingOf(a)).config.format).toBe('mkv')
    await h.service.stop(ALICE, idOf(a))
    const b = await createdUrl({
      'Upload-Metadata': metadata({ sessionId: SESSION, filetype: 'application/octet-stream' }),
    })
    expect((await recordingOf(b)).config).toEqual({ format: 'webm', quality: 'high' })
  })

  it('refuses bad metadata and lengths with 400 problems', async () => {
    const cases: Record<string, string>[] = [
      { 'Upload-Length': '10', 'Upload-Metadata': metadata({ filename: 'x' }) },
      { 'Upload-Length': '10', 'Upload-Metadata': metadata({ sessionId: 'nope' }) },
      { 'Upload-Length': '10', 'Upload-Metadata': 'sessionId !!!' },
      { 'Upload-Length': '10', 'Upload-Metadata': `${metadata({ sessionId: SESSION })},sessionId eA==` },
      { 'Upload-Length': '10', 'Upload-Metadata': metadata({ sessionId: SESSION, format: 'avi' }) },
      { 'Upload-Length': '10', 'Upload-Metadata': metadata({ sessionId: SESSION, quality: 'ultra' }) },
      {},
      { 'Upload-Length': '10', 'Upload-Defer-Length': '1' },
      { 'Upload-Length': '-1' },
      { 'Upload-Defer-Length': '2' },
    ]
    for (const headers of cases) {
      const res = await create(headers)
      expect(res.status, JSON.stringify(headers)).toBe(400)
      expect(res.headers.get('Tus-Resumable')).toBe('1.0.0')
      expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    }
    const big = await create({ 'Upload-Length': String(1024 * 1024 + 1) })
    expect(big.status).toBe(413)
    expect(((await big.json()) as { code: string }).code).toBe('UPLOAD_TOO_LARGE')
  })

  it('creation-with-upload stores the body at once and answers Upload-Offset', async () => {
    const body = bytes(40)
    const res = await create({ 'Upload-Length': '100', 'Content-Type': UPLOAD }, body)
    expect(res.status).toBe(201)
    expect(res.headers.get('Upload-Offset')).toBe('40')
    const whole = await create(
      { 'Upload-Length': '40', 'Content-Type': UPLOAD, 'Upload-Metadata': metadata({ sessionId: BOB }) },
      body,
    )
    expect(whole.headers.get('Upload-Offset')).toBe('40')
    const done = await recordingOf(`${base}${whole.headers.get('Location')}`)
    expect(done).toMatchObject({
      status: 'completed',
      sizeBytes: 40,
      checksum: `sha256:${await sha256Hex(body)}`,
    })
    const wrongType = await create({ 'Upload-Length': '40', 'Content-Type': 'text/plain' }, body)
    expect(wrongType.status).toBe(415)
  })

  it('creation-defer-length: Upload-Defer-Length: 1, then Upload-Length once on a PATCH', async () => {
    const created = await create({ 'Upload-Defer-Length': '1' })
    expect(created.status).toBe(201)
    const url = `${base}${created.headers.get('Location')}`
    const first = await head(url)
    expect(first.headers.get('Upload-Defer-Length')).toBe('1')
    expect(first.headers.get('Upload-Length')).toBeNull()
    expect((await patch(url, 0, bytes(10))).status).toBe(204)
    const last = await patch(url, 10, bytes(5, 2), { 'Upload-Length': '15' })
    expect(last.status).toBe(204)
    expect(last.headers.get('Upload-Offset')).toBe('15')
    expect(await recordingOf(url)).toMatchObject({ status: 'completed', sizeBytes: 15, stopReason: 'client' })
    const res = await create({ 'Upload-Defer-Length': '1', 'Upload-Metadata': metadata({ sessionId: BOB }) })
    const url2 = `${base}${res.headers.get('Location')}`
    expect((await patch(url2, 0, bytes(3), { 'Upload-Length': '10' })).status).toBe(204)
    const again = await patch(url2, 3, bytes(3), { 'Upload-Length': '12' })
    expect(again.status).toBe(409)
    expect(((await again.json()) as { code: string }).code).toBe('UPLOAD_LENGTH_CONFLICT')
  })

  it('keeps auth, ownership, rate limits and Idempotency-Key as everywhere', async () => {
    const anonymous = await fetch(uploads(), {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '1' },
    })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('Tus-Resumable')).toBe('1.0.0')
    const url = await createdUrl({ 'Idempotency-Key': 'k1' })
    const replay = await create({ 'Upload-Length': '100', 'Idempotency-Key': 'k1' })
    expect(replay.status).toBe(201)
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    expect(`${base}${replay.headers.get('Location')}`).toBe(url)
    expect((await create({ 'Upload-Length': '101', 'Idempotency-Key': 'k1' })).status).toBe(409)
    const bob = await h.auth(BOB)
    const foreign = await head(url, tusHeaders(bob))
    expect(foreign.status).toBe(404)
    expect(foreign.headers.get('Tus-Resumable')).toBe('1.0.0')
    expect((await fetch(url, { method: 'DELETE', headers: tusHeaders(bob) })).status).toBe(404)

    await serveHarness({ rateLimiter: new InProcessRateLimiter({ perMinute: 1 }) })
    expect((await createdUrl()).length).toBeGreaterThan(0)
    const limited = await create({ 'Upload-Length': '1' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('Retry-After')).not.toBeNull()
    expect(limited.headers.get('Tus-Resumable')).toBe('1.0.0')
  })
})

describe('tus upload URL (SPEC §9)', () => {
  it('HEAD: Upload-Offset, Upload-Length, Upload-Expires, Cache-Control: no-store, no Content-Type', async () => {
    const url = await createdUrl()
    expect((await patch(url, 0, bytes(30))).status).toBe(204)
    const res = await head(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('Upload-Offset')).toBe('30')
    expect(res.headers.get('Upload-Length')).toBe('100')
    expect(res.headers.get('Upload-Expires')).toMatch(/GMT$/)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(res.headers.get('Tus-Resumable')).toBe('1.0.0')
    expect(res.headers.get('Content-Type')).toBeNull()
  })

  it('completes by itself at the length; HEAD then says offset = length = size, with the download headers', async () => {
    const url = await createdUrl()
    const body = bytes(100, 7)
    expect((await patch(url, 0, body.subarray(0, 60))).status).toBe(204)
    const last = await patch(url, 60, body.subarray(60))
    expect(last.status).toBe(204)
    expect(last.headers.get('Upload-Offset')).toBe('100')
    expect(await recordingOf(url)).toMatchObject({
      status: 'completed',
      stopReason: 'client',
      checksum: `sha256:${await sha256Hex(body)}`,
    })
    const res = await head(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('Upload-Offset')).toBe('100')
    expect(res.headers.get('Upload-Length')).toBe('100')
    expect(res.headers.get('ETag')).toBe(`"${await sha256Hex(body)}"`)
    expect(res.headers.get('Content-Length')).toBe('100')
    expect(res.headers.get('Content-Type')).toBe('video/webm')
  })

  it('PATCH past the length is refused before it is stored (413)', async () => {
    const url = await createdUrl()
    const res = await patch(url, 0, bytes(101))
    expect(res.status).toBe(413)
    expect((await head(url)).headers.get('Upload-Offset')).toBe('0')
  })

  it('PATCH with Upload-Checksum: sha1, sha256, md5 accepted; a mismatch is 460 and keeps none of the bytes', async () => {
    const url = await createdUrl()
    let offset = 0
    for (const algorithm of ['sha1', 'sha256', 'md5']) {
      const chunk = bytes(20, offset)
      const res = await patch(url, offset, chunk, {
        'Upload-Checksum': `${algorithm} ${b64(algorithm, chunk)}`,
      })
      expect(res.status, algorithm).toBe(204)
      offset += 20
      expect(res.headers.get('Upload-Offset')).toBe(String(offset))
    }
    const chunk = bytes(20, 99)
    const wrong = await patch(url, offset, chunk, {
      'Upload-Checksum': `sha256 ${b64('sha256', bytes(20, 98))}`,
    })
    expect(wrong.status).toBe(460)
    expect(wrong.headers.get('Tus-Resumable')).toBe('1.0.0')
    expect(((await wrong.json()) as { code: string }).code).toBe('CHECKSUM_MISMATCH')
    expect((await head(url)).headers.get('Upload-Offset')).toBe(String(offset))
    expect(await h.blobs.size(idOf(url))).toBe(offset)
    const unsupported = await patch(url, offset, chunk, { 'Upload-Checksum': `crc32 ${b64('sha1', chunk)}` })
    expect(unsupported.status).toBe(400)
    expect(((await unsupported.json()) as { code: string }).code).toBe('CHECKSUM_ALGORITHM_UNSUPPORTED')
    const malformed = await patch(url, offset, chunk, { 'Upload-Checksum': 'sha1 nope' })
    expect(malformed.status).toBe(400)
    expect((await patch(url, offset + 1, chunk)).status).toBe(409)
    expect((await patch(url, offset, chunk, { 'Content-Type': 'text/plain' })).status).toBe(415)
  })

  it('X-HTTP-Method-Override on POST works for PATCH, HEAD and DELETE', async () => {
    const url = await createdUrl()
    const post = (override: string, body?: Uint8Array, more: Record<string, string> = {}) =>
      fetch(url, {
        method: 'POST',
        headers: tusHeaders(auth, { 'X-HTTP-Method-Override': override, ...more }),
        ...(body ? { body } : {}),
      })
    const patched = await post('PATCH', bytes(10), { 'Content-Type': UPLOAD, 'Upload-Offset': '0' })
    expect(patched.status).toBe(204)
    expect(patched.headers.get('Upload-Offset')).toBe('10')
    const headed = await post('HEAD')
    expect(headed.status).toBe(200)
    expect(headed.headers.get('Upload-Offset')).toBe('10')
    expect((await post('GET')).status).toBe(400)
    expect((await post('DELETE')).status).toBe(204)
    expect((await head(url)).status).toBe(404)
  })

  it('termination: DELETE deletes the recording (204)', async () => {
    const url = await createdUrl()
    await patch(url, 0, bytes(10))
    const res = await fetch(url, { method: 'DELETE', headers: tusHeaders(auth) })
    expect(res.status).toBe(204)
    expect(res.headers.get('Tus-Resumable')).toBe('1.0.0')
    expect(res.headers.get('Content-Type')).toBeNull()
    expect(await h.repo.findById(idOf(url))).toBeNull()
  })

  it('expiration: Upload-Expires = last activity + IDLE_TIMEOUT_S; short of its length it fails and answers 410', async () => {
    const url = await createdUrl()
    h.clock.advance(10_000)
    const res = await patch(url, 0, bytes(10))
    expect(Date.parse(res.headers.get('Upload-Expires') ?? '')).toBe(
      Math.floor((h.clock.now().getTime() + 300_000) / 1000) * 1000,
    )
    h.clock.advance(300_001)
    expect(await h.service.expire()).toBe(1)
    const failed = await recordingOf(url)
    expect(failed).toMatchObject({ status: 'failed', stopReason: 'idle_timeout' })
    expect(failed.failureReason).toMatch(/offset 10 .*100 bytes/)
    const gone = await head(url)
    expect(gone.status).toBe(410)
    expect(gone.headers.get('Tus-Resumable')).toBe('1.0.0')
    expect((await patch(url, 10, bytes(10))).status).toBe(410)
    // Expired before the janitor came by: the URL answers 410 all the same.
    const url2 = await createdUrl({ 'Upload-Metadata': metadata({ sessionId: BOB }) })
    await patch(url2, 0, bytes(5))
    h.clock.advance(300_001)
    expect((await head(url2)).status).toBe(410)
  })

  it('another tus version → 412 with Tus-Version; OPTIONS → 204 with the capabilities', async () => {
    const url = await createdUrl()
    for (const [target, method] of [
      [uploads(), 'POST'],
      [url, 'HEAD'],
      [url, 'PATCH'],
    ] as const) {
      const res = await fetch(target, { method, headers: { ...auth, 'Tus-Resumable': '0.2.2' } })
      expect(res.status, `${method} ${target}`).toBe(412)
      expect(res.headers.get('Tus-Version')).toBe('1.0.0')
    }
    expect(
      (await fetch(uploads(), { method: 'POST', headers: { ...auth, 'Upload-Length': '1' } })).status,
    ).toBe(412)
    for (const target of [uploads(), url]) {
      const res = await fetch(target, { method: 'OPTIONS' })
      expect(res.status).toBe(204)
      expect(res.headers.get('Tus-Version')).toBe('1.0.0')
      expect(res.headers.get('Tus-Extension')).toBe(
        'creation,creation-with-upload,creation-defer-length,termination,checksum,expiration',
      )
      expect(res.headers.get('Tus-Max-Size')).toBe(String(1024 * 1024))
      expect(res.headers.get('Tus-Checksum-Algorithm')).toBe('sha1,sha256,md5')
      expect(res.headers.get('Content-Type')).toBeNull()
    }
  })

  it('§5 PATCH and HEAD without Tus-Resumable behave as before', async () => {
    const url = await createdUrl()
    const plain = await fetch(url, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': UPLOAD, 'Upload-Offset': '0' },
      body: bytes(10),
    })
    expect(plain.status).toBe(204)
    expect(plain.headers.get('Tus-Resumable')).toBeNull()
    const res = await fetch(url, { method: 'HEAD', headers: auth })
    expect(res.headers.get('Upload-Offset')).toBe('10')
    expect(res.headers.get('Upload-Length')).toBeNull()
    expect(res.headers.get('Tus-Resumable')).toBeNull()
    expect((await fetch(url, { method: 'DELETE', headers: auth })).status).toBe(405)
  })
})

describe('tus from a browser on another origin (SPEC §9 CORS)', () => {
  const ORIGIN = 'https://app.example'
  it('preflights allow every tus request header; responses expose the tus headers', async () => {
    await serveHarness({ corsOrigins: [ORIGIN] })
    const requested = [
      'tus-resumable',
      'upload-length',
      'upload-defer-length',
      'upload-metadata',
      'upload-checksum',
      'upload-offset',
      'x-http-method-override',
      'x-requested-with',
      'authorization',
      'content-type',
    ]
    for (const [target, method] of [
      [uploads(), 'POST'],
      [`${base}/api/v1/recordings/${SESSION}/content`, 'PATCH'],
    ]) {
      const res = await fetch(target ?? '', {
        method: 'OPTIONS',
        headers: {
          Origin: ORIGIN,
          'Access-Control-Request-Method': method ?? '',
          'Access-Control-Request-Headers': requested.join(', '),
        },
      })
      expect(res.status).toBe(204)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
      const allowed = (res.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase().split(',')
      for (const name of requested) expect(allowed, name).toContain(name)
    }
    const created = await fetch(uploads(), {
      method: 'POST',
      headers: tusHeaders(auth, {
        Origin: ORIGIN,
        'Upload-Length': '5',
        'Upload-Metadata': metadata({ sessionId: SESSION }),
      }),
    })
    expect(created.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    const exposed = (created.headers.get('Access-Control-Expose-Headers') ?? '').toLowerCase().split(',')
    for (const name of [
      'upload-offset',
      'upload-length',
      'upload-expires',
      'tus-resumable',
      'tus-version',
      'tus-extension',
      'tus-max-size',
      'location',
      'idempotent-replayed',
    ])
      expect(exposed, name).toContain(name)
    const stranger = await fetch(uploads(), {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    })
    expect(stranger.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})

describe('early answers to a tus body still arriving (SPEC §9)', () => {
  /**
   * Sends the headers and 64 KiB of a 4 MiB PATCH and reads the answer without sending more; then
   * sends the rest and asks HEAD on the same keep-alive agent: the connection must either have been
   * closed with `Connection: close`, or be drained and reused.
   */
  async function earlyAnswer(url: string, headers: Record<string, string>) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const req = httpRequest(url, {
      method: 'PATCH',
      agent,
      headers: { ...headers, 'Content-Length': String(4 * 1024 * 1024) },
    })
    const answered = new Promise<{ status: number; body: string; connection: string | undefined }>(
      (resolve, reject) => {
        req.on('error', reject)
        req.on('response', async (res) => {
          let body = ''
          for await (const chunk of res) body += String(chunk)
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection })
        })
      },
    )
    req.write(Buffer.alloc(64 * 1024))
    const answer = await answered
    const closed = answer.connection === 'close'
    if (!closed)
      await new Promise<void>((resolve) => req.end(Buffer.alloc(4 * 1024 * 1024 - 64 * 1024), resolve))
    const next = await new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const again = httpRequest(url, { method: 'HEAD', agent, headers: tusHeaders(auth) }, (res) => {
        res.resume()
        resolve({ status: res.statusCode ?? 0, reused: again.reusedSocket })
      })
      again.on('error', reject)
      again.end()
    })
    agent.destroy()
    return { ...answer, closed, next }
  }

  it('409, 413, 415 and 460 reach the client whole, before the body is sent, as problem JSON', async () => {
    const url = await createdUrl({ 'Upload-Length': String(1024 * 1024) })
    const base = tusHeaders(auth, { 'Content-Type': UPLOAD })
    const cases: [number, Record<string, string>][] = [
      [409, { ...base, 'Upload-Offset': '7' }],
      [413, { ...base, 'Upload-Offset': '0' }],
      [415, { ...base, 'Upload-Offset': '0', 'Content-Type': 'text/plain' }],
    ]
    for (const [status, headers] of cases) {
      const answer = await earlyAnswer(url, headers)
      expect(answer.status).toBe(status)
      expect(JSON.parse(answer.body)).toMatchObject({ status })
      expect(answer.next.status).toBe(200)
      // Drained and reused, or closed as announced.
      expect(answer.closed || answer.next.reused).toBe(true)
    }
    // 460 comes once the whole body is read (the digest needs it), and none of it is kept.
    const body = bytes(1000)
    const mismatch = await patch(url, 0, body, { 'Upload-Checksum': `md5 ${b64('md5', bytes(1000, 2))}` })
    expect(mismatch.status).toBe(460)
    expect(((await mismatch.json()) as { status: number }).status).toBe(460)
    expect((await head(url)).headers.get('Upload-Offset')).toBe('0')
  })
})
