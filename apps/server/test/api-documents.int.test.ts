import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const root = join(import.meta.dirname, '../../..')
const run = promisify(execFile)

type Json = Record<string, unknown>
interface Operation {
  operationId?: string
  security?: Record<string, string[]>[]
  parameters?: { name?: string; in?: string; $ref?: string }[]
  responses: Record<string, { headers?: Record<string, unknown>; content?: Json }>
}

/** Every route the service serves (or, for tus, will serve: SPEC §9), as `METHOD path`. */
const EXPECTED = [
  'GET /health',
  'GET /health/ready',
  'GET /metrics',
  'GET /openapi.json',
  'GET /asyncapi.json',
  'POST /api/v1/recordings/start',
  'POST /api/v1/recordings/{id}/stop',
  'GET /api/v1/recordings/{id}/status',
  'GET /api/v1/recordings/{id}',
  'GET /api/v1/recordings',
  'DELETE /api/v1/recordings/{id}',
  'GET /api/v1/recordings/{id}/content',
  'HEAD /api/v1/recordings/{id}/content',
  'PATCH /api/v1/recordings/{id}/content',
  'POST /api/v1/recordings/{id}/playback-url',
  'GET /playback/{id}',
  'HEAD /playback/{id}',
  'GET /api/v1/recordings/{id}/stream',
  'GET /api/v1/events',
  'POST /api/v1/uploads',
  'OPTIONS /api/v1/uploads',
  'OPTIONS /api/v1/recordings/{id}/content',
  'DELETE /api/v1/recordings/{id}/content',
  'POST /api/v1/recordings/{id}/content',
]
/** tus-only routes (SPEC §9): they answer requests that carry Tus-Resumable, checked in tus.int.test.ts. */
const TUS_ONLY = new Set(['DELETE /api/v1/recordings/{id}/content', 'POST /api/v1/recordings/{id}/content'])
const PUBLIC = new Set([
  'GET /health',
  'GET /health/ready',
  'GET /openapi.json',
  'GET /asyncapi.json',
  'GET /playback/{id}',
  'HEAD /playback/{id}',
  'OPTIONS /api/v1/uploads',
  'OPTIONS /api/v1/recordings/{id}/content',
])

describe(`API documents served by a real server (${backend})`, () => {
  let server: TestServer
  let openapi: {
    paths: Record<string, Record<string, Operation>>
    info: Json
    servers: Json[]
    components: Json
  }
  let operations: [string, Operation][]
  beforeAll(async () => {
    server = await startTestServer(backend, { MAX_FRAME_BYTES: '65536', PLAYBACK_URL_TTL_S: '900' })
    openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as typeof openapi
    operations = Object.entries(openapi.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        op,
      ]),
    )
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('passes `redocly lint` (recommended rules; the exceptions listed with reasons in .redocly.lint-ignore.yaml)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rec-openapi-'))
    try {
      await writeFile(join(dir, 'openapi.json'), JSON.stringify(openapi, null, 2))
      for (const file of ['redocly.yaml', '.redocly.lint-ignore.yaml'])
        await copyFile(join(root, file), join(dir, file))
      const cli = join(root, 'node_modules/.bin/redocly')
      const { stdout } = await run(
        cli,
        ['lint', '--config', join(dir, 'redocly.yaml'), '--format=json', 'openapi.json'],
        {
          cwd: dir,
          env: {
            ...process.env,
            REDOCLY_TELEMETRY: 'off',
            REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
            NO_COLOR: '1',
          },
        },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }))
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        totals: { errors: number; warnings: number; ignored: number }
        problems: unknown[]
      }
      expect(report.problems).toEqual([])
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
      // The ignore file still matches: a rename would make its entries dead and the rule fire.
      expect(report.totals.ignored).toBe(8)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it('documents every route, each with a unique operationId', () => {
    expect(operations.map(([name]) => name).sort()).toEqual([...EXPECTED].sort())
    const ids = operations.map(([, op]) => op.operationId)
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('serves every documented route (the router answers none of them 404 NOT_FOUND or 405)', async () => {
    const token = await server.token(crypto.randomUUID())
    const upgrades = EXPECTED.filter((n) => n.endsWith('/stream') || n.endsWith('/events'))
    for (const name of EXPECTED.filter((n) => !TUS_ONLY.has(n) && !upgrades.includes(n))) {
      const [method = '', path = ''] = name.split(' ')
      const res = await fetch(`${server.url}${path.replace('{id}', crypto.randomUUID())}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      })
      // HEAD has no body to tell a router 404 from a recording 404; hono serves it with the GET route.
      const problem = method !== 'HEAD' && res.headers.get('content-type')?.includes('problem')
      const body = problem ? ((await res.json()) as Json) : null
      await res.body?.cancel().catch(() => {})
      expect(res.status, name).not.toBe(405)
      expect(body?.code ?? null, name).not.toBe('NOT_FOUND')
    }
    // The upgrades answer in WebSocket frames: a subscription, and a stream of an unknown recording.
    const events = new TestSocket(`${server.wsUrl}/api/v1/events?token=${token}`)
    expect((await events.next((m) => m.type === 'ready')).type).toBe('ready')
    events.socket.close()
    const stream = new TestSocket(
      `${server.wsUrl}/api/v1/recordings/${crypto.randomUUID()}/stream?token=${token}`,
    )
    expect((await stream.next((m) => m.type === 'error')).code).toBe('RECORDING_NOT_FOUND')
    expect((await stream.closed).code).toBe(4404)
  })

  it('declares security everywhere: [] on the public routes, the bearer JWT on /api/v1', () => {
    for (const [name, op] of operations) {
      if (PUBLIC.has(name)) expect(op.security, name).toEqual([])
      else if (name === 'GET /metrics') expect(op.security).toEqual([{}, { metricsToken: [] }])
      else expect(op.security?.[0], name).toEqual({ bearerAuth: [] })
    }
    expect(Object.keys(openapi.components.securitySchemes as Json).sort()).toEqual([
      'bearerAuth',
      'metricsToken',
      'queryToken',
    ])
  })

  it('gives every operation but probes, documents and tus discovery a 4xx, and all but upgrades a 2xx', () => {
    const no4xx = new Set([...PUBLIC].filter((n) => !n.includes('/playback/')))
    for (const [name, op] of operations) {
      const statuses = Object.keys(op.responses)
      if (!no4xx.has(name))
        expect(
          statuses.some((s) => s.startsWith('4')),
          name,
        ).toBe(true)
      if (name.endsWith('/stream') || name.endsWith('/events')) expect(statuses).toContain('101')
      else
        expect(
          statuses.some((s) => s.startsWith('2')),
          name,
        ).toBe(true)
    }
  })

  it('documents the headers it reads and sends', () => {
    const op = (name: string): Operation => {
      const found = operations.find(([n]) => n === name)?.[1]
      if (!found) throw new Error(`${name} is not documented`)
      return found
    }
    const params = (name: string) => (op(name).parameters ?? []).map((p) => p.name ?? p.$ref)
    const sent = (name: string, status: string) => Object.keys(op(name).responses[status]?.headers ?? {})
    for (const [name, o] of operations) {
      expect(params(name), name).toContain('#/components/parameters/RequestId')
      for (const [status, response] of Object.entries(o.responses)) {
        if (status === '101') continue
        expect(Object.keys(response.headers ?? {}), `${name} ${status}`).toContain('X-Request-Id')
        if (name.includes(' /api/v1/')) {
          expect(Object.keys(response.headers ?? {}), `${name} ${status}`).toEqual(
            expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
          )
        }
        if (status === '429') expect(Object.keys(response.headers ?? {})).toContain('Retry-After')
        if (status === '401') expect(Object.keys(response.headers ?? {})).toContain('WWW-Authenticate')
      }
    }
    expect(params('POST /api/v1/recordings/start')).toContain('idempotency-key')
    expect(sent('POST /api/v1/recordings/start', '201')).toEqual(
      expect.arrayContaining(['Location', 'Idempotent-Replayed']),
    )
    for (const name of ['GET /api/v1/recordings/{id}/content', 'GET /playback/{id}']) {
      expect(params(name)).toEqual(expect.arrayContaining(['range', 'if-none-match', 'if-range']))
      expect(sent(name, '200')).toEqual(
        expect.arrayContaining([
          'ETag',
          'Accept-Ranges',
          'Content-Length',
          'Content-Disposition',
          'Content-Type',
        ]),
      )
      expect(sent(name, '206')).toContain('Content-Range')
    }
    expect(sent('GET /api/v1/recordings/{id}/content', '416')).toContain('Content-Range')
    expect(params('PATCH /api/v1/recordings/{id}/content')).toEqual(
      expect.arrayContaining(['upload-offset', 'Tus-Resumable', 'Upload-Checksum', 'Upload-Length']),
    )
    expect(sent('PATCH /api/v1/recordings/{id}/content', '204')).toEqual(
      expect.arrayContaining(['Upload-Offset', 'Tus-Resumable', 'Upload-Expires']),
    )
    expect(sent('PATCH /api/v1/recordings/{id}/content', '409')).toContain('Upload-Offset')
    expect(sent('HEAD /api/v1/recordings/{id}/content', '200')).toEqual(
      expect.arrayContaining(['Upload-Offset', 'Upload-Length', 'Upload-Expires', 'Tus-Resumable']),
    )
    expect(params('POST /api/v1/uploads')).toEqual(
      expect.arrayContaining([
        'tus-resumable',
        'upload-length',
        'upload-defer-length',
        'upload-metadata',
        'idempotency-key',
      ]),
    )
    expect(sent('POST /api/v1/uploads', '201')).toEqual(
      expect.arrayContaining(['Location', 'Upload-Expires', 'Upload-Offset']),
    )
    expect(sent('OPTIONS /api/v1/uploads', '204')).toEqual(
      expect.arrayContaining(['Tus-Version', 'Tus-Extension', 'Tus-Max-Size', 'Tus-Checksum-Algorithm']),
    )
    expect(params('GET /api/v1/recordings/{id}/stream')).toEqual(expect.arrayContaining(['token', 'upgrade']))
    expect(sent('GET /api/v1/recordings/{id}/stream', '101')).toContain('Sec-WebSocket-Accept')
  })

  it('states this instance’s limits and a server', () => {
    expect(openapi.info['x-limits']).toEqual({
      maxRecordingBytes: 4 * 1024 ** 3,
      maxRecordingDurationS: 4 * 3600,
      idleTimeoutS: 300,
      jsonBodyBytes: 64 * 1024,
      maxFrameBytes: 65536,
      rateLimitPerMinute: 600,
      playbackUrlTtlS: 900,
    })
    expect(openapi.info.description).toContain('| MAX_FRAME_BYTES | 65536 |')
    expect(openapi.servers).toEqual([{ url: '/', description: expect.any(String) }])
  })
})
