import { gunzipSync } from 'node:zlib'
import { ManualClock } from '@rec/domain/testing'
import { describe, expect, it } from 'vitest'
import { InProcessRateLimiter } from '../src/rate-limit/in-process-rate-limiter.js'
import {
  ALICE,
  BOB,
  jsonInit,
  makeHarness,
  problemJson,
  recordingJson,
  SESSION,
  token,
  treeJson,
  UPLOAD,
} from './harness.js'

const ORIGIN = 'https://app.example.com'
const BASE = 'http://localhost/api/v1/recordings'

describe('X-Request-Id', () => {
  it('echoes a sane id and uses it in problems and logs', async () => {
    const h = makeHarness()
    const res = await h.app.request(`${BASE}/nope`, {
      headers: { ...(await h.auth()), 'X-Request-Id': 'abc-123.x_y' },
    })
    expect(res.headers.get('X-Request-Id')).toBe('abc-123.x_y')
    expect((await problemJson(res)).requestId).toBe('abc-123.x_y')
    expect(h.logLines().at(-1)).toMatchObject({ requestId: 'abc-123.x_y', status: 400 })
  })

  it.each(['has space', 'x'.repeat(129), 'semi;colon', '<script>'])(
    'replaces the insane %j with a UUID',
    async (id) => {
      const h = makeHarness()
      const res = await h.app.request('http://localhost/health', { headers: { 'X-Request-Id': id } })
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    },
  )

  it('is on every response: generated, 401, 404, 405, preflight, HEAD', async () => {
    const h = makeHarness()
    const responses = [
      await h.app.request('http://localhost/health'),
      await h.app.request(BASE),
      await h.app.request('http://localhost/nowhere'),
      await h.app.request(`${BASE}/start`, { method: 'PUT', headers: await h.auth() }),
      await h.app.request(BASE, {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' },
      }),
      await h.app.request('http://localhost/health', { method: 'HEAD' }),
    ]
    for (const res of responses) expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('problems', () => {
  it('are RFC 9457 with type, title, status, detail, code, requestId', async () => {
    const h = makeHarness()
    const res = await h.app.request(`${BASE}/00000000-0000-4000-8000-000000000009`, {
      headers: await h.auth(),
    })
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({
      type: 'urn:problem:recording-service:recording-not-found',
      title: 'Recording not found',
      status: 404,
      detail: 'recording not found',
      code: 'RECORDING_NOT_FOUND',
      requestId: res.headers.get('X-Request-Id'),
    })
  })

  it('answers unknown routes with 404 NOT_FOUND and a known path with the wrong method with 405 + Allow', async () => {
    const h = makeHarness()
    const unknown = await h.app.request('http://localhost/api/v1/nothing', { headers: await h.auth() })
    expect(unknown.status).toBe(404)
    expect((await problemJson(unknown)).code).toBe('NOT_FOUND')
    expect((await h.app.request('http://localhost/favicon.ico')).status).toBe(404)
    const wrong = await h.app.request(`${BASE}/00000000-0000-4000-8000-000000000009`, {
      method: 'PUT',
      headers: await h.auth(),
    })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('Allow')).toBe('DELETE, GET, HEAD, OPTIONS')
    expect((await problemJson(wrong)).code).toBe('METHOD_NOT_ALLOWED')
  })
})

describe('CORS', () => {
  const preflight = (origin: string) => ({
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'PATCH',
      'Access-Control-Request-Headers': 'authorization, upload-offset, content-type',
    },
  })

  it('answers a preflight from an allowed origin, without auth or rate limit', async () => {
    const h = makeHarness({ corsOrigins: [ORIGIN] })
    const res = await h.app.request(`${BASE}/x/content`, preflight(ORIGIN))
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    const methods = res.headers.get('Access-Control-Allow-Methods') ?? ''
    for (const m of ['PATCH', 'HEAD', 'DELETE']) expect(methods).toContain(m)
    const allowed = (res.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase()
    for (const header of [
      'authorization',
      'content-type',
      'upload-offset',
      'idempotency-key',
      'x-request-id',
    ]) {
      expect(allowed).toContain(header)
    }
    expect(res.headers.get('RateLimit-Limit')).toBeNull()
  })

  it('gives a disallowed origin no Access-Control-Allow-Origin', async () => {
    const h = makeHarness({ corsOrigins: [ORIGIN] })
    const res = await h.app.request(`${BASE}/x/content`, preflight('https://evil.example'))
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const actual = await h.app.request(BASE, {
      headers: { Origin: 'https://evil.example', ...(await h.auth()) },
    })
    expect(actual.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('exposes Upload-Offset, X-Request-Id and RateLimit-* to an allowed origin; * allows any', async () => {
    const h = makeHarness({ corsOrigins: [ORIGIN] })
    const res = await h.app.request(BASE, { headers: { Origin: ORIGIN, ...(await h.auth()) } })
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
    const exposed = res.headers.get('Access-Control-Expose-Headers') ?? ''
    for (const header of [
      'Upload-Offset',
      'X-Request-Id',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Retry-After',
      'Location',
    ]) {
      expect(exposed).toContain(header)
    }
    const any = makeHarness({ corsOrigins: '*' })
    const open = await any.app.request(BASE, preflight('https://whoever.example'))
    expect(open.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })

  it('puts the headers on problems and on JSON alike, with Vary: Origin for a list of origins', async () => {
    const h = makeHarness({ corsOrigins: [ORIGIN] })
    const problem = await h.app.request(BASE, { headers: { Origin: ORIGIN } })
    const found = await h.app.request(BASE, { headers: { Origin: ORIGIN, ...(await h.auth()) } })
    expect([problem.status, found.status]).toEqual([401, 200])
    for (const res of [problem, found]) {
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN)
      expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Upload-Offset')
      expect(res.headers.get('Vary')).toContain('Origin')
    }
    expect(await found.json()).toMatchObject({ data: [] })
  })
})

describe('compression', () => {
  it('gzips JSON when accepted, never media', async () => {
    const h = makeHarness()
    for (let i = 0; i < 10; i++) {
      await h.app.request(
        `${BASE}/start`,
        jsonInit(
          'POST',
          { sessionId: `66666666-6666-4666-8666-${String(i).padStart(12, '0')}` },
          await h.auth(),
        ),
      )
    }
    const list = await h.app.request(BASE, { headers: { ...(await h.auth()), 'Accept-Encoding': 'gzip' } })
    expect(list.headers.get('Content-Encoding')).toBe('gzip')
    const parsed = JSON.parse(gunzipSync(Buffer.from(await list.arrayBuffer())).toString())
    expect(parsed.data).toHaveLength(10)

    const { id } = await recordingJson(
      await h.app.request(`${BASE}/start`, jsonInit('POST', { sessionId: SESSION }, await h.auth())),
    )
    const media = new Uint8Array(20_000) // all zeros: as compressible as media gets
    await h.app.request(`${BASE}/${id}/content`, {
      method: 'PATCH',
      body: media,
      headers: { ...(await h.auth()), 'Content-Type': UPLOAD, 'Upload-Offset': '0' },
    })
    await h.app.request(`${BASE}/${id}/stop`, { method: 'POST', headers: await h.auth() })
    const content = await h.app.request(`${BASE}/${id}/content`, {
      headers: { ...(await h.auth()), 'Accept-Encoding': 'gzip' },
    })
    expect(content.status).toBe(200)
    expect(content.headers.get('Content-Encoding')).toBeNull()
    expect(content.headers.get('Content-Length')).toBe('20000')
    expect((await content.arrayBuffer()).byteLength).toBe(20_000)
  })

  it('leaves JSON alone when the client does not accept an encoding', async () => {
    const h = makeHarness()
    const res = await h.app.request('http://localhost/openapi.json')
    expect(res.headers.get('Content-Encoding')).toBeNull()
  })
})

describe('rate limiting', () => {
  it('reports RateLimit-* and answers 429 + Retry-After past the limit, per user', async () => {
    const clock = new ManualClock()
    const h = makeHarness({ rateLimiter: new InProcessRateLimiter({ perMinute: 3, clock }) })
    const headers = await h.auth()
    const remaining: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const res = await h.app.request(BASE, { headers })
      expect(res.status).toBe(200)
      expect(res.headers.get('RateLimit-Limit')).toBe('3')
      expect(res.headers.get('RateLimit-Reset')).toMatch(/^\d+$/)
      remaining.push(res.headers.get('RateLimit-Remaining'))
    }
    expect(remaining).toEqual(['2', '1', '0'])
    const limited = await h.app.request(BASE, { headers })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('Retry-After')).toBe('20')
    expect(limited.headers.get('RateLimit-Remaining')).toBe('0')
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 })
    // Another user has their own quota.
    expect((await h.app.request(BASE, { headers: await h.auth(BOB) })).status).toBe(200)
    clock.advance(20_000)
    expect((await h.app.request(BASE, { headers })).status).toBe(200)
  })

  it('limits unauthenticated calls per address, so token guessing is limited too', async () => {
    const h = makeHarness({
      rateLimiter: new InProcessRateLimiter({ perMinute: 2, clock: new ManualClock() }),
    })
    const first = await h.app.request(BASE)
    expect(first.status).toBe(401)
    expect(first.headers.get('RateLimit-Limit')).toBe('2')
    await h.app.request(BASE, { headers: { Authorization: 'Bearer guess' } })
    const third = await h.app.request(BASE, { headers: { Authorization: 'Bearer guess-again' } })
    expect(third.status).toBe(429)
    expect(third.headers.get('Retry-After')).not.toBeNull()
  })

  it('does not limit health or openapi', async () => {
    const h = makeHarness({
      rateLimiter: new InProcessRateLimiter({ perMinute: 1, clock: new ManualClock() }),
    })
    for (let i = 0; i < 3; i++) {
      for (const path of ['/health', '/health/ready', '/openapi.json']) {
        const res = await h.app.request(`http://localhost${path}`)
        expect(res.status).toBe(200)
        expect(res.headers.get('RateLimit-Limit')).toBeNull()
      }
    }
  })

  it('fails open when the limiter is down', async () => {
    const h = makeHarness({ rateLimiter: { consume: () => Promise.reject(new Error('redis down')) } })
    expect((await h.app.request(BASE, { headers: await h.auth() })).status).toBe(200)
  })
})

describe('health', () => {
  it('GET /health: status, timestamp, uptime', async () => {
    const res = await makeHarness().app.request('http://localhost/health')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { timestamp: string }
    expect(body).toEqual({ status: 'healthy', timestamp: expect.any(String), uptime: expect.any(Number) })
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp)
  })

  it('GET /health/ready: 200 when every backend answers, else 503 naming the failing one', async () => {
    const ok = await makeHarness({
      readiness: async () => ({ checks: { postgres: 'ok', redis: 'ok' } }),
    }).app.request('http://localhost/health/ready')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } })
    const failing = await makeHarness({
      readiness: async () => ({ checks: { postgres: 'failing', redis: 'ok' } }),
    }).app.request('http://localhost/health/ready')
    expect(failing.status).toBe(503)
    expect(await failing.json()).toEqual({
      status: 'unavailable',
      checks: { postgres: 'failing', redis: 'ok' },
    })
    const broken = await makeHarness({ readiness: () => Promise.reject(new Error('boom')) }).app.request(
      'http://localhost/health/ready',
    )
    expect(broken.status).toBe(503)
  })
})

describe('request log', () => {
  it('logs method, path without query, status, duration, requestId and userId; never the token', async () => {
    const h = makeHarness()
    const jwt = await token()
    await h.app.request(`${BASE}?limit=5&token=${jwt}`, {
      headers: { Authorization: `Bearer ${jwt}`, 'X-Request-Id': 'r1' },
    })
    const line = h.logLines().find((l) => l.requestId === 'r1')
    expect(line).toMatchObject({
      method: 'GET',
      path: '/api/v1/recordings',
      status: 200,
      userId: ALICE,
      msg: 'request',
    })
    expect(line?.durationMs).toEqual(expect.any(Number))
    expect(h.rawLog()).not.toContain(jwt)
    expect(h.rawLog()).not.toContain('token=')
    expect(h.rawLog().toLowerCase()).not.toContain('authorization')
  })
})

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 and lists every route with its methods', async () => {
    const res = await makeHarness().app.request('http://localhost/openapi.json')
    expect(res.status).toBe(200)
    const doc = await treeJson(res)
    expect(doc.openapi).toBe('3.1.0')
    const methods = (path: string) => Object.keys(doc.paths?.[path] ?? {}).sort()
    expect(methods('/health')).toEqual(['get'])
    expect(methods('/health/ready')).toEqual(['get'])
    expect(methods('/api/v1/recordings')).toEqual(['get'])
    expect(methods('/api/v1/recordings/start')).toEqual(['post'])
    expect(methods('/api/v1/recordings/{id}')).toEqual(['delete', 'get'])
    expect(methods('/api/v1/recordings/{id}/stop')).toEqual(['post'])
    expect(methods('/api/v1/recordings/{id}/status')).toEqual(['get'])
    // DELETE and OPTIONS: tus termination and discovery on the upload URL (SPEC §9).
    expect(methods('/api/v1/recordings/{id}/content')).toEqual(['delete', 'get', 'head', 'options', 'patch'])
    const start = doc.paths?.['/api/v1/recordings/start']?.post
    expect(start?.requestBody?.content?.['application/json']?.schema).toBeDefined()
    expect(JSON.stringify(start?.parameters)).toContain('"name":"idempotency-key"')
    expect(doc.paths?.['/api/v1/recordings/{id}']?.get?.parameters?.[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    })
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(doc.components?.schemas?.Recording?.properties?.status?.enum).toEqual([
      'recording',
      'stopping',
      'completed',
      'failed',
    ])
  })
})
