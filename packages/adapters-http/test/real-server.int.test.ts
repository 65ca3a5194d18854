import { Agent, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { type ServerType, serve } from '@hono/node-server'
import { afterEach, describe, expect, it } from 'vitest'
import { ALICE, bytes, makeHarness, SESSION, sha256Hex, token, UPLOAD } from './harness.js'

let server: ServerType | null = null

afterEach(async () => {
  const s = server
  server = null
  if (!s) return
  if ('closeAllConnections' in s) s.closeAllConnections()
  await new Promise<void>((resolve) => s.close(() => resolve()))
})

async function listen(h: ReturnType<typeof makeHarness>): Promise<string> {
  const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' })
  server = s
  await new Promise<void>((resolve) => (s.listening ? resolve() : s.once('listening', () => resolve())))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

describe('through a real listening server', () => {
  it('golden path: start → PATCH chunks → stop → status → list → content (sha256 = checksum) → delete', async () => {
    const h = makeHarness()
    const base = `${await listen(h)}/api/v1/recordings`
    const auth = { Authorization: `Bearer ${await token()}` }

    const started = await fetch(`${base}/start`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'golden' },
      body: JSON.stringify({ sessionId: SESSION, config: { format: 'webm', quality: 'medium' } }),
    })
    expect(started.status).toBe(201)
    const { id } = (await started.json()) as { id: string }

    const chunks = [bytes(64 * 1024, 1), bytes(100 * 1024, 2), bytes(7, 3)]
    let offset = 0
    for (const chunk of chunks) {
      const res = await fetch(`${base}/${id}/content`, {
        method: 'PATCH',
        headers: { ...auth, 'Content-Type': UPLOAD, 'Upload-Offset': String(offset) },
        body: chunk,
      })
      expect(res.status).toBe(204)
      offset += chunk.byteLength
      expect(res.headers.get('Upload-Offset')).toBe(String(offset))
    }
    const head = await fetch(`${base}/${id}/content`, { method: 'HEAD', headers: auth })
    expect(head.headers.get('Upload-Offset')).toBe(String(offset))

    h.clock.advance(12_345)
    const stopped = await fetch(`${base}/${id}/stop`, { method: 'POST', headers: auth })
    expect(stopped.status).toBe(200)
    const recording = (await stopped.json()) as {
      status: string
      sizeBytes: number
      checksum: string
      durationMs: number
    }
    expect(recording).toMatchObject({ status: 'completed', sizeBytes: offset, durationMs: 12_345 })

    const status = await fetch(`${base}/${id}/status`, { headers: auth })
    expect(await status.json()).toMatchObject({
      id,
      status: 'completed',
      sizeBytes: offset,
      durationMs: 12_345,
    })

    const list = await fetch(base, { headers: { ...auth, 'Accept-Encoding': 'gzip' } })
    expect(list.status).toBe(200)
    const page = (await list.json()) as { data: { id: string }[]; pagination: { total: number } }
    expect(page.data.map((r) => r.id)).toEqual([id])
    expect(page.pagination.total).toBe(1)

    const content = await fetch(`${base}/${id}/content`, { headers: { ...auth, 'Accept-Encoding': 'gzip' } })
    expect(content.status).toBe(200)
    expect(content.headers.get('Content-Type')).toBe('video/webm')
    expect(content.headers.get('Content-Encoding')).toBeNull()
    expect(content.headers.get('Content-Length')).toBe(String(offset))
    const downloaded = new Uint8Array(await content.arrayBuffer())
    expect(`sha256:${await sha256Hex(downloaded)}`).toBe(recording.checksum)
    expect(content.headers.get('ETag')).toBe(`"${recording.checksum.slice('sha256:'.length)}"`)

    const ranged = await fetch(`${base}/${id}/content`, { headers: { ...auth, Range: 'bytes=-7' } })
    expect(ranged.status).toBe(206)
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(chunks[2])

    expect((await fetch(`${base}/${id}`, { method: 'DELETE', headers: auth })).status).toBe(204)
    expect((await fetch(`${base}/${id}`, { headers: auth })).status).toBe(404)
  })

  it('a PATCH dropped half-way leaves the recording resumable at what was stored', async () => {
    const h = makeHarness()
    const origin = await listen(h)
    const jwt = await token()
    const { recording } = await h.service.start({ userId: ALICE, sessionId: SESSION })
    const media = bytes(300_000)
    const sentPart = 100_000

    // Announce the whole body, send a third of it, wait until it is stored, then vanish.
    const { port } = new URL(origin)
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'PATCH',
      path: `/api/v1/recordings/${recording.id}/content`,
      headers: {
        Authorization: `Bearer ${jwt}`,
        'Content-Type': UPLOAD,
        'Upload-Offset': '0',
        'Content-Length': String(media.byteLength),
      },
    })
    req.on('error', () => {})
    req.write(media.subarray(0, sentPart))
    await expect.poll(() => h.blobs.size(recording.id), { timeout: 5000 }).toBe(sentPart)
    req.destroy()

    // HEAD reports what was stored; the aborted append releases the recording.
    const auth = { Authorization: `Bearer ${jwt}` }
    const url = `${origin}/api/v1/recordings/${recording.id}/content`
    await expect
      .poll(async () => (await fetch(url, { method: 'HEAD', headers: auth })).headers.get('Upload-Offset'))
      .toBe(String(sentPart))
    expect((await h.service.get(ALICE, recording.id)).status).toBe('recording')

    const resumed = await fetch(url, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': UPLOAD, 'Upload-Offset': String(sentPart) },
      body: media.subarray(sentPart),
    })
    expect(resumed.status).toBe(204)
    expect(resumed.headers.get('Upload-Offset')).toBe(String(media.byteLength))

    const stopped = await fetch(`${origin}/api/v1/recordings/${recording.id}/stop`, {
      method: 'POST',
      headers: auth,
    })
    const { checksum } = (await stopped.json()) as { checksum: string }
    expect(checksum).toBe(`sha256:${await sha256Hex(media)}`)
    // The aborted request is logged as a client problem, not a server error.
    expect(h.logLines().some((l) => l.msg === 'request error')).toBe(false)
  })

  it('a PATCH past the size limit: 204 at the limit, the rest of the body drained, the connection reused', async () => {
    const h = makeHarness({ limits: { maxBytes: 1000 } })
    const { port } = new URL(await listen(h))
    const jwt = await token()
    const { recording } = await h.service.start({ userId: ALICE, sessionId: SESSION })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const send = (method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, unknown>; reused: boolean }>(
        (resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method,
              path,
              agent,
              headers: { Authorization: `Bearer ${jwt}`, ...headers },
            },
            (res) => {
              res.resume()
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, headers: res.headers, reused: req.reusedSocket }),
              )
            },
          )
          req.on('error', reject)
          req.end(body)
        },
      )
    try {
      // Far more than the socket's first read: the service stops reading at the limit.
      const patched = await send('PATCH', `/api/v1/recordings/${recording.id}/content`, bytes(512 * 1024), {
        'Content-Type': UPLOAD,
        'Upload-Offset': '0',
      })
      expect(patched.status).toBe(204)
      expect(patched.headers['upload-offset']).toBe('1000')
      expect(patched.headers.connection).not.toBe('close')
      expect(await h.service.get(ALICE, recording.id)).toMatchObject({ status: 'completed', sizeBytes: 1000 })
      const next = await send('GET', `/api/v1/recordings/${recording.id}/status`)
      expect(next).toMatchObject({ status: 200, reused: true })
    } finally {
      agent.destroy()
    }
  })

  it('compresses JSON on the wire when asked', async () => {
    const h = makeHarness()
    const origin = await listen(h)
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(`${origin}/openapi.json`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const parts: Buffer[] = []
        res.on('data', (c: Buffer) => parts.push(c))
        res.on('end', () =>
          resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(parts) }),
        )
      })
      req.on('error', reject)
      req.end()
    })
    expect(raw.encoding).toBe('gzip')
    expect(JSON.parse(gunzipSync(raw.body).toString()).openapi).toBe('3.1.0')
  })
  it('puts the chain’s headers (request id, quota, CORS, Vary) on every answer written by Node', async () => {
    const ORIGIN = 'https://app.example'
    const h = makeHarness({ corsOrigins: [ORIGIN] })
    const base = `${await listen(h)}/api/v1/recordings`
    const auth = { Authorization: `Bearer ${await token()}` }
    for (let i = 0; i < 8; i++) {
      const started = await fetch(`${base}/start`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sessionId: crypto.randomUUID() }),
      })
      expect(started.status).toBe(201)
    }
    // A list big enough to be compressed (fetch decodes it): its Vary names the encoding and the origin.
    const list = await fetch(`${base}?limit=8`, {
      headers: { ...auth, Origin: ORIGIN, 'Accept-Encoding': 'gzip', 'X-Request-Id': 'mine-1' },
    })
    expect(list.status).toBe(200)
    expect(list.headers.get('vary')).toBe('Accept-Encoding, Origin')
    expect(list.headers.get('x-request-id')).toBe('mine-1')
    expect(list.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(list.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining')
    expect(Number(list.headers.get('ratelimit-limit'))).toBeGreaterThan(0)
    expect(list.headers.get('ratelimit-remaining')).not.toBeNull()

    // A small answer, an error thrown by a handler and one of the chain carry them as well.
    const missing = await fetch(`${base}/${crypto.randomUUID()}/status`, {
      headers: { ...auth, Origin: ORIGIN },
    })
    const unauthenticated = await fetch(base, { headers: { Origin: ORIGIN } })
    for (const [res, status] of [
      [missing, 404],
      [unauthenticated, 401],
    ] as const) {
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(res.headers.get('vary')).toBe('Origin')
      expect(res.headers.get('ratelimit-limit')).not.toBeNull()
    }
    // Each request gets its own id: nothing leaks from one answer into the next on a kept-alive socket.
    expect(missing.headers.get('x-request-id')).not.toBe(unauthenticated.headers.get('x-request-id'))
  })
})
