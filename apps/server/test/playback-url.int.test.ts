import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { startTestServer, type TestServer } from './support/test-server.js'

const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const BYTES = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)

interface Signed {
  readonly url: string
  readonly expiresAt: string
}

/** A completed recording of `user` holding `bytes`, and a playback URL for it. */
async function completed(server: TestServer, user: string, format = 'webm', bytes = BYTES) {
  const api = rest(server, await server.token(user))
  const { id } = await api.start(crypto.randomUUID(), { format })
  const put = await api.call('PATCH', `/recordings/${id}/content`, {
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
    body: bytes,
  })
  expect(put.status).toBe(204)
  expect((await api.stop(id)).status).toBe(200)
  return { api, id }
}

async function playbackUrl(api: ReturnType<typeof rest>, id: string): Promise<Signed> {
  const res = await api.call('POST', `/recordings/${id}/playback-url`)
  expect(res.status).toBe(201)
  return (await res.json()) as Signed
}

const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  return (await res.json()) as { status: number; code: string }
}

describe(`playback URLs through a real server (${backend})`, () => {
  let server: TestServer
  let log = ''
  const user = crypto.randomUUID()
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString()
        done()
      },
    })
    server = await startTestServer(backend, {}, pino({ level: 'info' }, sink))
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('issues an absolute URL that expires after PLAYBACK_URL_TTL_S and carries no JWT', async () => {
    const { api, id } = await completed(server, user)
    const before = Date.now()
    const res = await api.call('POST', `/recordings/${id}/playback-url`)
    expect(res.status).toBe(201)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { url, expiresAt } = (await res.json()) as Signed
    const parsed = new URL(url)
    expect(parsed.origin).toBe(server.url)
    expect(parsed.pathname).toBe(`/playback/${id}`)
    expect([...parsed.searchParams.keys()].sort()).toEqual(['expires', 'signature'])
    expect(url).not.toContain('eyJ')
    const ttl = Date.parse(expiresAt) - before
    expect(ttl).toBeGreaterThan(3599_000 - 1000)
    expect(ttl).toBeLessThanOrEqual(3600_000)
    expect(Number(parsed.searchParams.get('expires')) * 1000).toBe(Date.parse(expiresAt))
  })

  it('refuses a playback URL for a recording that is not completed (409), not yours or absent (404), a bad id (400), no token (401)', async () => {
    const api = rest(server, await server.token(user))
    const { id: active } = await api.start()
    expect((await problemOf(await api.call('POST', `/recordings/${active}/playback-url`))).code).toBe(
      'RECORDING_NOT_COMPLETED',
    )
    const { id } = await completed(server, user)
    const mallory = rest(server, await server.token(crypto.randomUUID()))
    expect((await problemOf(await mallory.call('POST', `/recordings/${id}/playback-url`))).status).toBe(404)
    const absent = await api.call('POST', `/recordings/${crypto.randomUUID()}/playback-url`)
    expect((await problemOf(absent)).code).toBe('RECORDING_NOT_FOUND')
    expect((await problemOf(await api.call('POST', '/recordings/not-a-uuid/playback-url'))).status).toBe(400)
    const anonymous = await fetch(`${server.url}/api/v1/recordings/${id}/playback-url`, { method: 'POST' })
    expect((await problemOf(anonymous)).code).toBe('UNAUTHORIZED')
  })

  it('serves the media without Authorization: 200 whole, inline, any origin, the same bytes', async () => {
    const { api, id } = await completed(server, user)
    const { url } = await playbackUrl(api, id)
    const res = await fetch(url, { headers: { origin: 'https://player.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('video/webm')
    expect(res.headers.get('content-length')).toBe(String(BYTES.byteLength))
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/)
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${id}.webm"`)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Range')
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(BYTES)
    const again = await fetch(url, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } })
    expect(again.status).toBe(304)
    const download = await fetch(`${url}&download=1`)
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${id}.webm"`)
    await download.body?.cancel()
  })

  it('answers Range with 206 (GET and HEAD), HEAD without a body, and 416 outside the media', async () => {
    const { api, id } = await completed(server, user, 'mp3')
    const { url } = await playbackUrl(api, id)
    const part = await fetch(url, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${BYTES.byteLength}`)
    expect(part.headers.get('content-type')).toBe('audio/mpeg')
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(BYTES.subarray(100, 200))
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } })
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(BYTES.subarray(BYTES.byteLength - 10))
    const head = await fetch(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(BYTES.byteLength))
    expect(head.headers.get('content-disposition')).toBe(`inline; filename="${id}.mp3"`)
    expect((await head.arrayBuffer()).byteLength).toBe(0)
    const headRange = await fetch(url, { method: 'HEAD', headers: { range: 'bytes=0-0' } })
    expect(headRange.status).toBe(206)
    expect(headRange.headers.get('content-range')).toBe(`bytes 0-0/${BYTES.byteLength}`)
    const outside = await fetch(url, { headers: { range: `bytes=${BYTES.byteLength}-` } })
    expect(outside.status).toBe(416)
    expect(outside.headers.get('content-range')).toBe(`bytes */${BYTES.byteLength}`)
    expect((await problemOf(outside)).code).toBe('RANGE_NOT_SATISFIABLE')
  })

  it('refuses the signature on another recording, and any tampered, truncated or missing part (403)', async () => {
    const { api, id } = await completed(server, user)
    const { id: other } = await completed(server, user)
    const { url } = await playbackUrl(api, id)
    const signed = new URL(url)
    const variants = new Map<string, URL>()
    const withPath = new URL(signed)
    withPath.pathname = `/playback/${other}`
    variants.set('another recording, same signature', withPath)
    const later = new URL(signed)
    later.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 3600))
    variants.set('a later expiry', later)
    const flipped = new URL(signed)
    const signature = signed.searchParams.get('signature') ?? ''
    flipped.searchParams.set('signature', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1))
    variants.set('one signature character changed', flipped)
    const truncated = new URL(signed)
    truncated.searchParams.set('signature', signature.slice(0, -1))
    variants.set('a truncated signature', truncated)
    for (const name of ['signature', 'expires']) {
      const missing = new URL(signed)
      missing.searchParams.delete(name)
      variants.set(`no ${name}`, missing)
    }
    const garbage = new URL(signed)
    garbage.searchParams.set('expires', '1e12')
    variants.set('a non-decimal expiry', garbage)
    for (const [name, variant] of variants) {
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(variant, { method })
        expect(res.status, `${method} ${name}`).toBe(403)
        if (method === 'GET') expect((await problemOf(res)).code, name).toBe('PLAYBACK_URL_INVALID')
      }
    }
    expect((await fetch(url)).status).toBe(200)
  })

  it('grants nothing on the API: the signature is not a token for /api/v1', async () => {
    const { api, id } = await completed(server, user)
    const { url } = await playbackUrl(api, id)
    const query = new URL(url).search
    const signature = new URL(url).searchParams.get('signature') ?? ''
    for (const path of [`/recordings/${id}`, `/recordings/${id}/content`]) {
      expect((await fetch(`${server.url}/api/v1${path}${query}`)).status).toBe(401)
      const bearer = await fetch(`${server.url}/api/v1${path}`, {
        headers: { authorization: `Bearer ${signature}` },
      })
      expect(bearer.status).toBe(401)
    }
    expect((await fetch(`${server.url}/api/v1/recordings${query}&token=${signature}`)).status).toBe(401)
  })

  it('stops working once the recording is deleted (404, GET and HEAD)', async () => {
    const { api, id } = await completed(server, user)
    const { url } = await playbackUrl(api, id)
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200)
    expect((await api.call('DELETE', `/recordings/${id}`)).status).toBe(204)
    expect((await problemOf(await fetch(url))).code).toBe('RECORDING_NOT_FOUND')
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(404)
  })

  it('names API downloads too: Content-Disposition attachment with the id and the extension', async () => {
    const { api, id } = await completed(server, user, 'mkv')
    const res = await api.call('GET', `/recordings/${id}/content`)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${id}.mkv"`)
    await res.body?.cancel()
    const head = await api.call('HEAD', `/recordings/${id}/content`)
    expect(head.headers.get('content-disposition')).toBe(`attachment; filename="${id}.mkv"`)
  })

  it('never logs the signature or the query of a playback URL (request log captured)', async () => {
    const { api, id } = await completed(server, user)
    const { url } = await playbackUrl(api, id)
    const signature = new URL(url).searchParams.get('signature') ?? ''
    await (await fetch(url)).arrayBuffer()
    await (await fetch(url, { headers: { range: 'bytes=0-9' } })).arrayBuffer()
    // The first character: the last one of base64url carries padding bits, so changing it can
    // leave the decoded signature (and so the answer) the same.
    await fetch(url.replace(signature, `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`))
    const lines = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    const playbackLines = lines.filter((line) => line.path === `/playback/${id}`)
    expect(playbackLines.map((line) => line.status)).toEqual([200, 206, 403])
    expect(log).not.toContain(signature)
    expect(log).not.toContain(signature.slice(0, 16))
    expect(log).not.toContain('signature=')
    expect(log).not.toContain('expires=')
  })
})

describe(`playback URL expiry through a real server (${backend})`, () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(backend, { PLAYBACK_URL_TTL_S: '2' })
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('works until expiresAt, then answers 403 PLAYBACK_URL_EXPIRED', async () => {
    const { api, id } = await completed(server, crypto.randomUUID())
    const { url, expiresAt } = await playbackUrl(api, id)
    // Whole seconds, rounded down: at least one second of the two is left.
    const left = Date.parse(expiresAt) - Date.now()
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(2000)
    if (Date.now() < Date.parse(expiresAt) - 200)
      expect((await fetch(url, { method: 'HEAD' })).status).toBe(200)
    // The expiry is the signal: wait for the stated instant, then a little for clock granularity.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 50))
    const res = await fetch(url)
    expect(res.status).toBe(403)
    expect((await problemOf(res)).code).toBe('PLAYBACK_URL_EXPIRED')
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(403)
  })
})
