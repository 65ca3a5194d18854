import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'

const TIME_BOUND_MS = Number(process.env.FUZZ_SECONDS ?? 15) * 1000
const MAX_REQUESTS = 20_000
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const MAX_FRAME = 64 * 1024
/** What a body must never show: a stack frame, SQL or a driver error, a server path. */
const LEAK =
  /\n\s+at \S.*:\d+:\d+|syntax error at|relation "|violates .* constraint|duplicate key|ECONNREFUSED|node_modules|\/work\/|rec-fuzz-/i

describe('fuzzing a real server with random HTTP requests and WebSocket frames', () => {
  let server: ChildServer
  let dataDir: string
  let drop = async (): Promise<void> => {}
  let token = ''
  let ownId = ''
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rec-fuzz-'))
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      RATE_LIMIT_PER_MIN: '1000000',
      MAX_FRAME_BYTES: String(MAX_FRAME),
      MAX_RECORDING_BYTES: String(4 * 1024 * 1024),
    }
    if (process.env.TEST_DATABASE_URL) {
      const db = await freshPostgresDatabase()
      drop = db.drop
      env.DATABASE_URL = db.url
    }
    server = await startChildServer(env)
    token = await signToken(crypto.randomUUID())
    const res = await fetch(`${server.url}/api/v1/recordings/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: crypto.randomUUID() }),
    })
    ownId = ((await res.json()) as { id: string }).id
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await drop()
    await rm(dataDir, { recursive: true, force: true })
  })

  it(`answers every request below 500, leaks nothing, stays up with bounded memory (${TIME_BOUND_MS / 1000} s bound)`, async () => {
    const id = fc.oneof(
      fc.constant(ownId),
      fc.uuid(),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom('..', '%2e%2e', '%00', 'null', '-1', "'", '00000000-0000-0000-0000-000000000000'),
    )
    const path = fc.oneof(
      id.map((x) => `/api/v1/recordings/${x}`),
      fc
        .tuple(id, fc.constantFrom('stop', 'status', 'content', 'stream', 'x'))
        .map(([x, s]) => `/api/v1/recordings/${x}/${s}`),
      fc.constantFrom(
        '/api/v1/recordings',
        '/api/v1/recordings/start',
        '/health',
        '/health/ready',
        '/metrics',
        '/openapi.json',
        '/api/v1/events',
        '/',
      ),
      fc
        .array(fc.string({ maxLength: 12 }).map(encodeURIComponent), { maxLength: 6 })
        .map((parts) => `/${parts.join('/')}`),
    )
    const query = fc.dictionary(
      fc.constantFrom('page', 'limit', 'status', 'sessionId', 'token', 'x'),
      fc.string({ maxLength: 20 }),
      { maxKeys: 4 },
    )
    const headers = fc.record(
      {
        authorization: fc.oneof(
          fc.constant(`Bearer ${token}`),
          fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
          fc.constant('Basic eDp5'),
        ),
        'content-type': fc.constantFrom(
          'application/json',
          'application/offset+octet-stream',
          'text/plain',
          'application/json; charset=utf-8',
          '*/*',
        ),
        'upload-offset': fc.oneof(fc.nat().map(String), fc.string({ maxLength: 10 })),
        range: fc.oneof(
          fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `bytes=${a}-${b}`),
          fc.string({ maxLength: 20 }),
        ),
        'idempotency-key': fc.string({ minLength: 1, maxLength: 300 }),
        'x-request-id': fc.string({ maxLength: 200 }),
        'if-none-match': fc.string({ maxLength: 30 }),
      },
      { requiredKeys: [] },
    )
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 3 }),
      fc
        .record({ sessionId: fc.oneof(fc.uuid(), fc.string()), config: fc.object({ maxDepth: 1 }) })
        .map((o) => JSON.stringify(o)),
      fc.uint8Array({ maxLength: 70_000 }),
    )
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
      path,
      query,
      headers,
      body,
    })
    const controls = fc.oneof(
      fc.constant(JSON.stringify({ type: 'stop' })),
      fc.json({ maxDepth: 2 }),
      fc.string({ maxLength: 100 }),
      fc
        .record({ type: fc.constantFrom('ack', 'ready', 'start', 'stop', 'ping') })
        .map((o) => JSON.stringify(o)),
    )
    const frame = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 * MAX_FRAME }).map((n) => new Uint8Array(n)) },
      { weight: 1, arbitrary: controls },
    )

    const started = performance.now()
    const deadline = started + TIME_BOUND_MS
    const baseline = server.rssBytes()
    let peak = baseline
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssBytes())
    }, 200)
    const failures: string[] = []
    let requests = 0
    let sessions = 0
    let frames = 0
    const closeCodes = new Map<number, number>()

    // Samples are drawn in small batches as the workers go: drawing all 20,000 up front takes longer
    // than the whole time bound on a loaded machine, and the fuzzing would then send nothing.
    const batches = function* <T>(arbitrary: fc.Arbitrary<T>, seed: number): Generator<T> {
      for (let batch = 0; ; batch++) yield* fc.sample(arbitrary, { numRuns: 50, seed: seed + batch * 7919 })
    }

    const httpWorker = async (worker: number): Promise<void> => {
      for (const r of batches(request, SEED + worker)) {
        if (performance.now() > deadline || requests >= MAX_REQUESTS) return
        const qs = new URLSearchParams(r.query).toString()
        const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD'
        let res: Response
        try {
          res = await fetch(`${server.url}${r.path}${qs ? `?${qs}` : ''}`, {
            method: r.method,
            headers: r.headers,
            ...(hasBody ? { body: r.body } : {}),
            signal: AbortSignal.timeout(10_000),
          })
        } catch (error) {
          // A client-side refusal (bad header value) is not the server's answer; a hang or a reset is.
          if (error instanceof TypeError && !String(error.cause).includes('ECONN')) continue
          failures.push(
            `${r.method} ${r.path}: ${error instanceof Error ? `${error.message} ${String(error.cause)}` : error}`,
          )
          continue
        }
        requests++
        const text = await res.text()
        if (res.status >= 500) failures.push(`${r.method} ${r.path} → ${res.status} ${text.slice(0, 200)}`)
        if (LEAK.test(text)) failures.push(`${r.method} ${r.path} leaked: ${text.slice(0, 300)}`)
      }
    }

    const wsWorker = async (worker: number): Promise<void> => {
      const plans = batches(
        fc.record({ id, frames: fc.array(frame, { maxLength: 20 }), auth: fc.boolean() }),
        SEED + 100 + worker,
      )
      for (const plan of plans) {
        if (performance.now() > deadline) return
        sessions++
        const socket = new WebSocket(
          `${server.wsUrl}/api/v1/recordings/${plan.id}/stream${plan.auth ? `?token=${token}` : ''}`,
        )
        const code = await new Promise<number>((resolve) => {
          socket.on('error', () => {})
          socket.on('message', (data, isBinary) => {
            const text = data.toString()
            if (isBinary || LEAK.test(text)) failures.push(`ws frame: ${text.slice(0, 200)}`)
            try {
              const type = (JSON.parse(text) as { type?: unknown }).type
              if (!['ready', 'ack', 'error', 'completed'].includes(String(type)))
                failures.push(`ws type ${String(type)}`)
            } catch {
              failures.push(`ws non-JSON frame ${text.slice(0, 100)}`)
            }
          })
          socket.on('close', (c) => resolve(c))
          socket.on('open', async () => {
            for (const f of plan.frames) {
              if (socket.readyState !== WebSocket.OPEN) break
              socket.send(f)
              frames++
              await new Promise((r) => setImmediate(r))
            }
            setTimeout(() => socket.close(), 50)
          })
          setTimeout(() => socket.terminate(), 5_000)
        })
        closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1)
        if (code === 1011) failures.push(`ws ${plan.id} closed 1011 (internal error)`)
      }
    }

    await Promise.all([...[0, 1, 2, 3].map(httpWorker), ...[0, 1].map(wsWorker)])
    clearInterval(sampler)
    const seconds = (performance.now() - started) / 1000
    // A pooled connection idle since the last fuzz request may be closed by the server's 5 s
    // keep-alive timeout just as it is reused (the workers end seconds apart on a loaded machine):
    // that race is the client's to retry, and what is checked here is that the server is up.
    const health = await fetch(`${server.url}/health`).catch(() => fetch(`${server.url}/health`))
    console.log(
      `fuzz (seed ${SEED}): ${requests} HTTP requests and ${sessions} WebSocket sessions (${frames} frames) in ` +
        `${seconds.toFixed(1)} s (bound ${TIME_BOUND_MS / 1000} s / ${MAX_REQUESTS} requests); close codes ` +
        `${JSON.stringify(Object.fromEntries(closeCodes))}; RSS ${(baseline / 2 ** 20).toFixed(0)} → peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
    )
    expect(failures.slice(0, 10)).toEqual([])
    expect(server.process.exitCode).toBeNull()
    expect(health.status).toBe(200)
    expect(requests).toBeGreaterThan(100)
    expect(peak - baseline).toBeLessThan(256 * 2 ** 20)
  }, 60_000)
})
