import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { type ServerType, serve } from '@hono/node-server'
import {
  DependencyUnavailableError,
  MemoryCache,
  MemoryEventBus,
  MemoryListVersions,
  type RateLimiter,
  type RecordingRepo,
  RecordingService,
} from '@rec/domain'
import { ManualClock, MemoryBlobStore, MemoryRecordingRepo } from '@rec/domain/testing'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { JoseAuthenticator } from '../src/auth/jose-authenticator.js'
import { ServiceMetrics } from '../src/metrics/service-metrics.js'
import { StrictServerResponse } from '../src/node/strict-server-response.js'
import { InProcessRateLimiter } from '../src/rate-limit/in-process-rate-limiter.js'
import { ALICE, AUDIENCE, BOB, counterIds, ISSUER, SECRET, SESSION, sha256Hex, token } from './harness.js'

// The fast path of the polled reads (src/routes/hot-reads.ts) must answer exactly as the
// middleware chain does: the same requests go to an app with it and one without, through a
// listening server and through `app.request`, and every answer, log line and metric is compared.

const ORIGIN = 'https://app.example'
const servers: ServerType[] = []

afterEach(async () => {
  for (const s of servers.splice(0)) {
    if ('closeAllConnections' in s) s.closeAllConnections()
    await new Promise<void>((resolve) => s.close(() => resolve()))
  }
})

interface Options {
  readonly hotReads: boolean
  readonly limiter?: RateLimiter
  readonly onStoreDown?: 'open' | 'closed'
  readonly repo?: RecordingRepo
  readonly corsOrigins?: '*' | readonly string[]
}

function build({ hotReads, limiter, onStoreDown, repo, corsOrigins = [ORIGIN] }: Options) {
  const clock = new ManualClock()
  const service = new RecordingService({
    repo: repo ?? new MemoryRecordingRepo(),
    blobs: new MemoryBlobStore(sha256Hex),
    cache: new MemoryCache(clock),
    listVersions: new MemoryListVersions(),
    events: new MemoryEventBus(),
    clock,
    ids: counterIds(),
    logger: { warn: () => {} },
    limits: { maxBytes: 1024 * 1024, maxDurationMs: 3_600_000, idleTimeoutMs: 300_000 },
  })
  let log = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log += chunk.toString()
      done()
    },
  })
  const metrics = new ServiceMetrics(
    { poolStats: () => ({ total: 0, idle: 0, waiting: 0 }), streamsOpen: () => 0 },
    { processMetrics: false },
  )
  const app = createApp({
    service,
    authenticator: new JoseAuthenticator({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE }),
    rateLimiter: limiter ?? new InProcessRateLimiter({ perMinute: 10_000, clock }),
    rateLimitOnStoreDown: onStoreDown ?? 'open',
    logger: pino({ level: 'info' }, sink),
    readiness: async () => ({ checks: {} }),
    corsOrigins,
    metrics,
    hotReads,
  })
  // Log lines without what differs between two runs by nature: time, duration, pid.
  const lines = () =>
    log
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const { time: _t, pid: _p, hostname: _h, durationMs, err, requestId, ...rest } = JSON.parse(l)
        return {
          ...rest,
          requestId: /^[0-9a-f-]{36}$/.test(requestId) ? 'generated' : requestId,
          timed: typeof durationMs === 'number' || durationMs === undefined,
          err: err?.message,
        }
      })
  // The request histogram's counts per label set (durations differ).
  const counts = async () =>
    (await metrics.render()).body
      .split('\n')
      .filter((l) => l.startsWith('http_request_duration_seconds_count'))
  return { app, service, lines, counts }
}

type Built = ReturnType<typeof build>

async function listen(b: Built): Promise<string> {
  const s = serve({
    fetch: b.app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    serverOptions: { ServerResponse: StrictServerResponse },
  })
  servers.push(s)
  await new Promise<void>((resolve) => (s.listening ? resolve() : s.once('listening', () => resolve())))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

/** An answer with what varies by nature taken out: the Date, and a generated request id. */
async function seen(res: Response) {
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'))
  const generated = /^[0-9a-f-]{36}$/.test(headers['x-request-id'] ?? '')
  if (generated) headers['x-request-id'] = 'generated'
  let body = await res.text()
  if (generated) body = body.replaceAll(res.headers.get('x-request-id') ?? '', 'generated')
  return { status: res.status, headers, body }
}

type Call = (path: string, headers?: Record<string, string>) => Promise<Response>

/** The same requests against one app; resolves with every answer, the log and the metrics. */
async function scenario(b: Built, call: Call) {
  const alice = { Authorization: `Bearer ${await token({ sub: ALICE })}` }
  const bob = { Authorization: `Bearer ${await token({ sub: BOB })}` }
  const { recording } = await b.service.start({ userId: ALICE, sessionId: SESSION })
  // A name long enough that the recording's JSON is compressed.
  const named = await b.service.start({
    userId: ALICE,
    sessionId: '44444444-4444-4444-8444-444444444444',
    name: 'n'.repeat(1500),
  })
  const id = recording.id
  const base = '/api/v1/recordings'
  // After the newer of the two (same time, higher id first).
  const cursor = Buffer.from(`${recording.createdAt.getTime()}.${named.recording.id}`).toString('base64url')
  const requests: [string, Record<string, string>][] = [
    [`${base}/${id}/status`, alice],
    [`${base}/${id}/status`, { ...alice, Origin: ORIGIN, 'X-Request-Id': 'mine-1' }],
    [`${base}/${id}/status?x=1`, { ...alice, Origin: 'https://elsewhere.example' }],
    [`${base}/${id}`, { ...alice, 'Accept-Encoding': 'gzip' }],
    [`${base}/${named.recording.id}`, { ...alice, 'Accept-Encoding': 'gzip', Origin: ORIGIN }],
    [`${base}/${named.recording.id}`, alice],
    [`${base}/${id.toUpperCase()}/status`, alice],
    [`${base}/${id}/status`, bob],
    [`${base}/55555555-5555-4555-8555-555555555555`, alice],
    [`${base}/not-a-uuid/status`, alice],
    [`${base}/${id}/status`, {}],
    [`${base}/${id}/status`, { Authorization: 'Bearer nope' }],
    [`${base}/${id}/status`, { ...alice, 'X-Request-Id': 'has space' }],
    [`${base}/${id}/status/`, alice],
    [base, alice],
    [`${base}?page=1&limit=20`, { ...alice, 'Accept-Encoding': 'gzip', Origin: ORIGIN }],
    [`${base}?page=1&limit=20`, { ...alice, 'Accept-Encoding': 'gzip', Origin: ORIGIN }],
    [`${base}?page=1&limit=20`, { ...alice, 'Accept-Encoding': 'deflate' }],
    [`${base}?limit=1`, alice],
    [`${base}?limit=1&cursor=${cursor}`, alice],
    [`${base}?page=2&limit=1&status=recording&sessionId=${SESSION}`, alice],
    [base, bob],
    [`${base}?page=0`, alice],
    [`${base}?limit=101`, alice],
    [`${base}?status=nope`, alice],
    [`${base}?cursor=zzz`, alice],
    [`${base}?page=1&page=2`, alice],
    [`${base}?other=1`, alice],
    [`${base}?limit=%32`, alice],
    [`${base}/`, alice],
    [base, {}],
  ]
  const answers = []
  for (const [path, headers] of requests) answers.push(await seen(await call(path, headers)))
  return { answers, log: b.lines(), counts: await b.counts() }
}

const viaRequest =
  (b: Built): Call =>
  async (path, headers = {}) =>
    b.app.request(path, { headers })

const viaServer = async (b: Built): Promise<Call> => {
  const origin = await listen(b)
  return (path, headers = {}) => fetch(`${origin}${path}`, { headers })
}

describe('the polled reads past the chain answer as the chain does', () => {
  it('through a listening server: answers, headers, problems, log lines and metrics', async () => {
    const chain = build({ hotReads: false })
    const fast = build({ hotReads: true })
    const expected = await scenario(chain, await viaServer(chain))
    const actual = await scenario(fast, await viaServer(fast))
    expect(expected.answers[0]?.status).toBe(200)
    expect(expected.answers[4]?.headers['content-encoding']).toBe('gzip')
    const list = expected.answers[15]
    expect([list?.status, list?.headers['content-encoding'], list?.headers.vary]).toEqual([
      200,
      'gzip',
      'Accept-Encoding, Origin',
    ])
    expect(JSON.parse(list?.body ?? '').data).toHaveLength(2)
    expect(actual).toEqual(expected)
  })

  it('is taken: the polled reads never reach the router, other requests do', async () => {
    const routed = async (hotReads: boolean) => {
      const b = build({ hotReads })
      const call = await viaServer(b)
      const { recording } = await b.service.start({ userId: ALICE, sessionId: SESSION })
      const alice = { Authorization: `Bearer ${await token({ sub: ALICE })}` }
      // Hono's SmartRouter settles on a router at its first match and replaces its own `match`.
      await call('/health')
      const router = b.app.router
      const match = router.match.bind(router)
      let matched = 0
      router.match = (method, path) => {
        matched++
        return match(method, path)
      }
      const answers = [
        await call(`/api/v1/recordings/${recording.id}/status`, alice),
        await call(`/api/v1/recordings/${recording.id}`, alice),
        await call('/api/v1/recordings?page=1&limit=20', alice),
      ]
      const hot = matched
      await call('/api/v1/recordings?other=1', alice)
      return { statuses: answers.map((a) => a.status), hot, other: matched - hot }
    }
    expect(await routed(true)).toEqual({ statuses: [200, 200, 200], hot: 0, other: 1 })
    expect(await routed(false)).toEqual({ statuses: [200, 200, 200], hot: 3, other: 1 })
  })

  it('through app.request (no Node response)', async () => {
    const chain = build({ hotReads: false, corsOrigins: '*' })
    const fast = build({ hotReads: true, corsOrigins: '*' })
    expect(await scenario(fast, viaRequest(fast))).toEqual(await scenario(chain, viaRequest(chain)))
  })

  it('counts the quota and answers 429 past it, as the chain does', async () => {
    const run = async (hotReads: boolean) => {
      const b = build({
        hotReads,
        limiter: new InProcessRateLimiter({ perMinute: 3, clock: new ManualClock() }),
      })
      const call = await viaServer(b)
      const { recording } = await b.service.start({ userId: ALICE, sessionId: SESSION })
      const alice = { Authorization: `Bearer ${await token({ sub: ALICE })}` }
      const answers = []
      for (let i = 0; i < 5; i++)
        answers.push(await seen(await call(`/api/v1/recordings/${recording.id}/status`, alice)))
      return { answers, log: b.lines(), counts: await b.counts() }
    }
    const expected = await run(false)
    expect(expected.answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429])
    expect(await run(true)).toEqual(expected)
  })

  it.each(['open', 'closed'] as const)('with the limiter down and the policy %s', async (onStoreDown) => {
    const down: RateLimiter = { consume: async () => Promise.reject(new DependencyUnavailableError('redis')) }
    const run = async (hotReads: boolean) => {
      const b = build({ hotReads, limiter: down, onStoreDown })
      return scenario(b, await viaServer(b))
    }
    expect(await run(true)).toEqual(await run(false))
  })

  it('with the repository failing: 503 for an outage, 500 for anything else, logged alike', async () => {
    const run = async (hotReads: boolean) => {
      const repo = new MemoryRecordingRepo()
      let failure: Error | null = null
      const findById = repo.findById.bind(repo)
      repo.findById = async (id) => {
        if (failure) throw failure
        return findById(id)
      }
      const b = build({ hotReads, repo })
      const call = await viaServer(b)
      const { recording } = await b.service.start({ userId: ALICE, sessionId: SESSION })
      const alice = { Authorization: `Bearer ${await token({ sub: ALICE })}` }
      const answers = []
      failure = new DependencyUnavailableError('postgres')
      answers.push(await seen(await call(`/api/v1/recordings/${recording.id}`, alice)))
      failure = new Error('boom at /var/lib/secret')
      answers.push(await seen(await call(`/api/v1/recordings/${recording.id}`, alice)))
      return { answers, log: b.lines(), counts: await b.counts() }
    }
    const expected = await run(false)
    expect(expected.answers.map((a) => a.status)).toEqual([503, 500])
    expect(await run(true)).toEqual(expected)
  })
})
