import { DependencyUnavailableError } from '@rec/domain'
import { MemoryRecordingRepo } from '@rec/domain/testing'
import { describe, expect, it } from 'vitest'
import { ALICE, BOB, jsonInit, makeHarness, pageJson, recordingJson, SESSION } from './harness.js'

const BASE = 'http://localhost/api/v1/recordings'
const SESSION_2 = '44444444-4444-4444-8444-444444444444'

async function start(h: ReturnType<typeof makeHarness>, body: unknown = { sessionId: SESSION }, extra = {}) {
  return h.app.request(`${BASE}/start`, jsonInit('POST', body, { ...(await h.auth()), ...extra }))
}

async function problemOf(res: Response) {
  expect(res.headers.get('Content-Type')).toBe('application/problem+json')
  return (await res.json()) as { code: string; status: number; errors?: { path: string; message: string }[] }
}

describe('POST /recordings/start', () => {
  it('answers 201 with the §4 recording, defaults applied, and a Location', async () => {
    const h = makeHarness()
    const res = await start(h)
    expect(res.status).toBe(201)
    const body = await recordingJson(res)
    expect(body).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      sessionId: SESSION,
      userId: ALICE,
      status: 'recording',
      config: { quality: 'high', format: 'webm' },
      sizeBytes: 0,
      durationMs: null,
      checksum: null,
      stopReason: null,
      failureReason: null,
      name: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      stoppedAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      media: null,
    })
    expect(res.headers.get('Location')).toBe(`/api/v1/recordings/${body.id}`)
  })

  it('takes an explicit config', async () => {
    const res = await start(makeHarness(), { sessionId: SESSION, config: { quality: 'low', format: 'mp3' } })
    expect(res.status).toBe(201)
    expect((await recordingJson(res)).config).toEqual({ quality: 'low', format: 'mp3' })
  })

  it.each([
    ['an unknown field', { sessionId: SESSION, extra: 1 }, 'body.extra'],
    [
      'an unknown config field',
      { sessionId: SESSION, config: { format: 'webm', bitrate: 5 } },
      'body.config.bitrate',
    ],
    ['a sessionId that is no UUID', { sessionId: 'abc' }, 'body.sessionId'],
    ['no sessionId', {}, 'body.sessionId'],
    ['an unknown format', { sessionId: SESSION, config: { format: 'avi' } }, 'body.config.format'],
  ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_name, body, path) => {
    const res = await start(makeHarness(), body)
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.code).toBe('VALIDATION_FAILED')
    expect(problem.errors?.map((e) => e.path)).toContain(path)
  })

  it('answers malformed JSON with 400, not 500', async () => {
    const h = makeHarness()
    const res = await h.app.request(`${BASE}/start`, {
      method: 'POST',
      body: '{"sessionId": ',
      headers: { 'Content-Type': 'application/json', ...(await h.auth()) },
    })
    expect(res.status).toBe(400)
    expect((await problemOf(res)).code).toBe('MALFORMED_REQUEST')
  })

  it('answers a body that is not JSON with 415', async () => {
    const h = makeHarness()
    const res = await h.app.request(`${BASE}/start`, {
      method: 'POST',
      body: 'sessionId=x',
      headers: { 'Content-Type': 'text/plain', ...(await h.auth()) },
    })
    expect(res.status).toBe(415)
    expect((await problemOf(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it('answers a body over 64 KiB with 413', async () => {
    const res = await start(makeHarness(), { sessionId: SESSION, padding: 'x'.repeat(70 * 1024) })
    expect(res.status).toBe(413)
    expect((await problemOf(res)).code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('answers 413 to an oversized chunked body too (no Content-Length to trust)', async () => {
    const h = makeHarness()
    const big = new TextEncoder().encode(JSON.stringify({ sessionId: SESSION, pad: 'x'.repeat(70 * 1024) }))
    const res = await h.app.request(`${BASE}/start`, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(big)
          controller.close()
        },
      }),
      duplex: 'half',
      headers: { 'Content-Type': 'application/json', ...(await h.auth()) },
    } as RequestInit)
    expect(res.status).toBe(413)
  })

  it('replays the first recording for the same Idempotency-Key and body (201 again)', async () => {
    const h = makeHarness()
    const first = await start(h, { sessionId: SESSION }, { 'Idempotency-Key': 'key-1' })
    const again = await start(h, { sessionId: SESSION }, { 'Idempotency-Key': 'key-1' })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect((await recordingJson(again)).id).toBe((await recordingJson(first)).id)
  })

  it('refuses the same Idempotency-Key with another body: 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const h = makeHarness()
    await start(h, { sessionId: SESSION }, { 'Idempotency-Key': 'key-1' })
    const reuse = await start(h, { sessionId: SESSION_2 }, { 'Idempotency-Key': 'key-1' })
    expect(reuse.status).toBe(409)
    expect((await problemOf(reuse)).code).toBe('IDEMPOTENCY_KEY_REUSED')
  })

  it('refuses an Idempotency-Key with control characters or over 255 chars: 400', async () => {
    const h = makeHarness()
    const res = await start(h, { sessionId: SESSION }, { 'Idempotency-Key': 'k'.repeat(256) })
    expect(res.status).toBe(400)
    expect((await problemOf(res)).errors?.[0]?.path).toBe('headers.idempotency-key')
  })

  it('refuses a second active recording for the session: 409 RECORDING_ALREADY_ACTIVE', async () => {
    const h = makeHarness()
    await start(h)
    const res = await start(h)
    expect(res.status).toBe(409)
    expect((await problemOf(res)).code).toBe('RECORDING_ALREADY_ACTIVE')
  })
})

describe('GET /recordings/:id and /:id/status', () => {
  it('returns the owner their recording', async () => {
    const h = makeHarness()
    const { id } = await recordingJson(await start(h))
    const res = await h.app.request(`${BASE}/${id}`, { headers: await h.auth() })
    expect(res.status).toBe(200)
    expect((await recordingJson(res)).id).toBe(id)
  })

  it("answers another user's recording with 404, never 403", async () => {
    const h = makeHarness()
    const { id } = await recordingJson(await start(h))
    for (const path of [`${id}`, `${id}/status`, `${id}/content`]) {
      const res = await h.app.request(`${BASE}/${path}`, { headers: await h.auth(BOB) })
      expect(res.status).toBe(404)
      expect((await problemOf(res)).code).toBe('RECORDING_NOT_FOUND')
    }
    const stop = await h.app.request(`${BASE}/${id}/stop`, { method: 'POST', headers: await h.auth(BOB) })
    expect(stop.status).toBe(404)
    const del = await h.app.request(`${BASE}/${id}`, { method: 'DELETE', headers: await h.auth(BOB) })
    expect(del.status).toBe(404)
  })

  it.each(['not-a-uuid', '123', "1' OR '1'='1", '00000000-0000-4000-8000-00000000000g'])(
    'answers the id %j with 400 VALIDATION_FAILED on every route',
    async (bad) => {
      const h = makeHarness()
      const id = encodeURIComponent(bad)
      const calls: [string, string][] = [
        ['GET', id],
        ['GET', `${id}/status`],
        ['POST', `${id}/stop`],
        ['DELETE', id],
        ['GET', `${id}/content`],
      ]
      for (const [method, path] of calls) {
        const res = await h.app.request(`${BASE}/${path}`, { method, headers: await h.auth() })
        expect(res.status, `${method} ${path}`).toBe(400)
        const problem = await problemOf(res)
        expect(problem.code).toBe('VALIDATION_FAILED')
        expect(problem.errors?.[0]?.path).toBe('params.id')
      }
    },
  )

  it('answers a status with exactly {id,status,sizeBytes,durationMs,updatedAt}', async () => {
    const h = makeHarness()
    const { id } = await recordingJson(await start(h))
    const res = await h.app.request(`${BASE}/${id}/status`, { headers: await h.auth() })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      id,
      status: 'recording',
      sizeBytes: 0,
      durationMs: null,
      updatedAt: '2026-01-01T00:00:00.000Z',
    })
  })

  it('answers 503 DEPENDENCY_UNAVAILABLE when the repository is down, without internals', async () => {
    const repo = new MemoryRecordingRepo()
    repo.findById = async () => {
      throw new DependencyUnavailableError('postgres', {
        cause: new Error('connect ECONNREFUSED 10.0.0.5:5432'),
      })
    }
    const h = makeHarness({ repo })
    const res = await h.app.request(`${BASE}/00000000-0000-4000-8000-000000000001`, {
      headers: await h.auth(),
    })
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(JSON.parse(text).code).toBe('DEPENDENCY_UNAVAILABLE')
    expect(text).not.toContain('ECONNREFUSED')
  })

  it('answers an unexpected error with a generic 500 and logs it with the request id', async () => {
    const repo = new MemoryRecordingRepo()
    repo.findById = async () => {
      throw new Error('syntax error at or near "SELEC" in /srv/app/node_modules/pg/lib/client.js')
    }
    const h = makeHarness({ repo })
    const res = await h.app.request(`${BASE}/00000000-0000-4000-8000-000000000001`, {
      headers: { ...(await h.auth()), 'X-Request-Id': 'req-500' },
    })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL', status: 500, requestId: 'req-500' })
    expect(text).not.toMatch(/SELEC|node_modules|client\.js|at /)
    const errorLine = h.logLines().find((l) => l.msg === 'request error')
    expect(errorLine).toMatchObject({ requestId: 'req-500', level: 50 })
  })
})

describe('GET /recordings (list)', () => {
  async function seeded() {
    const h = makeHarness()
    for (let i = 0; i < 5; i++) {
      const sessionId = `55555555-5555-4555-8555-${String(i).padStart(12, '0')}`
      await start(h, { sessionId })
      h.clock.advance(1000)
    }
    await h.app.request(`${BASE}/start`, jsonInit('POST', { sessionId: SESSION }, await h.auth(BOB)))
    return h
  }

  it('pages own recordings newest first with {data, pagination}', async () => {
    const h = await seeded()
    const res = await h.app.request(`${BASE}?page=2&limit=2`, { headers: await h.auth() })
    expect(res.status).toBe(200)
    const body = await pageJson(res)
    expect(body.pagination).toEqual({
      page: 2,
      limit: 2,
      total: 5,
      totalPages: 3,
      nextCursor: expect.any(String),
    })
    expect(body.data.map((r) => r.sessionId.slice(-1))).toEqual(['2', '1'])
    expect(body.data.every((r) => r.userId === ALICE)).toBe(true)
  })

  it('defaults to page 1, limit 20', async () => {
    const h = await seeded()
    const body = await pageJson(await h.app.request(BASE, { headers: await h.auth() }))
    expect(body.pagination).toEqual({ page: 1, limit: 20, total: 5, totalPages: 1, nextCursor: null })
  })

  it('filters by status and sessionId', async () => {
    const h = await seeded()
    const sessionId = '55555555-5555-4555-8555-000000000003'
    const bySession = await pageJson(
      await h.app.request(`${BASE}?sessionId=${sessionId}`, { headers: await h.auth() }),
    )
    expect(bySession.data).toHaveLength(1)
    const completed = await pageJson(
      await h.app.request(`${BASE}?status=completed`, { headers: await h.auth() }),
    )
    expect(completed.pagination.total).toBe(0)
  })

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['limit=1e1', 'query.limit'],
    ['page=0', 'query.page'],
    ['page=-1', 'query.page'],
    ['status=paused', 'query.status'],
    ['sessionId=nope', 'query.sessionId'],
    ['cursor=nope', 'query.cursor'],
    [`cursor=${Buffer.from('1.not-a-uuid').toString('base64url')}`, 'query.cursor'],
  ])('refuses %s with 400 naming %s', async (query, path) => {
    const h = makeHarness()
    const res = await h.app.request(`${BASE}?${query}`, { headers: await h.auth() })
    expect(res.status).toBe(400)
    expect((await problemOf(res)).errors?.[0]?.path).toBe(path)
  })

  it('pages by cursor through the same order as by page, then ends with a null cursor', async () => {
    const h = await seeded()
    const byPage = await pageJson(await h.app.request(`${BASE}?limit=10`, { headers: await h.auth() }))
    const seen: string[] = []
    let cursor: string | null = null
    for (let n = 0; n < 5; n++) {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const body = await pageJson(await h.app.request(`${BASE}?limit=2${query}`, { headers: await h.auth() }))
      if (cursor) expect(body.pagination.page).toBeNull()
      expect(body.pagination.total).toBe(5)
      seen.push(...body.data.map((r) => r.id))
      cursor = body.pagination.nextCursor
      if (!cursor) break
    }
    expect(seen).toEqual(byPage.data.map((r) => r.id))
    expect(cursor).toBeNull()
  })

  it('accepts limit=1 and limit=100', async () => {
    const h = makeHarness()
    for (const limit of [1, 100]) {
      expect((await h.app.request(`${BASE}?limit=${limit}`, { headers: await h.auth() })).status).toBe(200)
    }
  })
})

describe('POST /recordings/:id/stop and DELETE', () => {
  it('stops to completed; a second stop answers 200 unchanged', async () => {
    const h = makeHarness()
    const { id } = await recordingJson(await start(h))
    h.clock.advance(5000)
    const first = await h.app.request(`${BASE}/${id}/stop`, { method: 'POST', headers: await h.auth() })
    expect(first.status).toBe(200)
    const stopped = await recordingJson(first)
    expect(stopped).toMatchObject({
      status: 'completed',
      stopReason: 'client',
      durationMs: 5000,
      sizeBytes: 0,
    })
    h.clock.advance(5000)
    const second = await h.app.request(`${BASE}/${id}/stop`, { method: 'POST', headers: await h.auth() })
    expect(second.status).toBe(200)
    expect(await recordingJson(second)).toEqual(stopped)
  })

  it('refuses to stop a failed recording: 409 INVALID_TRANSITION', async () => {
    const h = makeHarness()
    const { id } = await recordingJson(await start(h))
    h.clock.advance(301_000)
    expect(await h.service.expire()).toBe(1)
    expect((await h.service.get(ALICE, id)).status).toBe('failed')
    const res = await h.app.request(`${BASE}/${id}/stop`, { method: 'POST', headers: await h.auth() })
    expect(res.status).toBe(409)
    expect((await problemOf(res)).code).toBe('INVALID_TRANSITION')
  })

  it('deletes: 204, then GET is 404; the deletion hook hears of it and cannot fail it', async () => {
    const deleted: string[] = []
    const h = makeHarness({
      onRecordingDeleted: (id) => {
        deleted.push(id)
        throw new Error('stream registry hiccup')
      },
    })
    const { id } = await recordingJson(await start(h))
    const del = await h.app.request(`${BASE}/${id}`, { method: 'DELETE', headers: await h.auth() })
    expect(del.status).toBe(204)
    expect(await del.text()).toBe('')
    expect(deleted).toEqual([id])
    const get = await h.app.request(`${BASE}/${id}`, { headers: await h.auth() })
    expect(get.status).toBe(404)
    const again = await h.app.request(`${BASE}/${id}`, { method: 'DELETE', headers: await h.auth() })
    expect(again.status).toBe(404)
  })
})
