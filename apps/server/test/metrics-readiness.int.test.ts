import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { immutableUnsupported, setImmutable } from './support/immutable.js'
import { rest } from './support/rest.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const noChattr = immutableUnsupported()

/** The value of one sample line of Prometheus text, e.g. `metric{label="x"} 3`; null if absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.split(' ').at(-1))
  }
  return null
}

describe(`metrics and readiness (${backend})`, () => {
  let server: TestServer
  let other: TestServer
  beforeAll(async () => {
    // Two servers in one process: each app has its own registry, so nothing collides.
    server = await startTestServer(backend)
    other = await startTestServer(backend, { METRICS_TOKEN: 'metrics-token-0123456789' })
  })
  afterAll(async () => {
    await server?.dispose()
    await other?.dispose()
  })
  const scrape = async (s: TestServer = server): Promise<string> => (await fetch(`${s.url}/metrics`)).text()

  it('labels requests by route pattern and status, never by raw path', async () => {
    const token = await server.token(crypto.randomUUID())
    const api = rest(server, token)
    const { id } = await api.start()
    await api.get(id)
    await api.call('GET', `/recordings/${crypto.randomUUID()}`)
    await fetch(`${server.url}/no/such/${crypto.randomUUID()}`)
    const text = await scrape()
    expect(
      sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/recordings/:id', status: '200' }),
    ).toBe(1)
    expect(
      sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/recordings/:id', status: '404' }),
    ).toBe(1)
    expect(sample(text, 'http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBe(1)
    expect(text).not.toContain(id)
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m)
    expect(sample(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'db_pool_connections', { state: 'waiting' })).toBe(0)
    expect(sample(text, 'janitor_runs_total', { outcome: 'failed' })).toBe(0)
  })

  it('counts streams open, bytes ingested, acks and final statuses', async () => {
    const before = await scrape()
    const token = await server.token(crypto.randomUUID())
    const api = rest(server, token)
    const { id } = await api.start()
    const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
    await socket.ofType('ready')
    expect(sample(await scrape(), 'recording_streams_open')).toBe(1)
    await socket.send(new Uint8Array(70_000).fill(1))
    await socket.ackedAtLeast(70_000)
    await socket.send(JSON.stringify({ type: 'stop' }))
    await socket.ofType('completed')
    await socket.closed
    const { id: empty } = await api.start()
    await api.call('PATCH', `/recordings/${empty}/content`, {
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: new Uint8Array(1000),
    })
    const after = await scrape()
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0)
    expect(delta('recording_ingest_bytes_total')).toBe(71_000)
    expect(delta('recording_acks_sent_total')).toBeGreaterThanOrEqual(1)
    expect(delta('recordings_finished_total', { status: 'completed' })).toBe(1)
    expect(sample(after, 'recording_streams_open')).toBe(0)
  })

  it('serves /metrics without a JWT, or only with METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200)
    const refused = await fetch(`${other.url}/metrics`)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    const wrong = await fetch(`${other.url}/metrics`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    const ok = await fetch(`${other.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toContain('text/plain')
  })

  it('reports each backend in /health/ready', async () => {
    const res = await fetch(`${server.url}/health/ready`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', storage: 'ok' } })
  })

  it.skipIf(noChattr !== null)(
    `answers 503 naming storage while the media directory refuses writes${noChattr ? ` (skipped: ${noChattr})` : ''}`,
    async () => {
      const media = join(server.dataDir, 'media')
      await fetch(`${server.url}/health/ready`) // creates the directory
      setImmutable([media], true)
      try {
        const res = await fetch(`${server.url}/health/ready`)
        expect(res.status).toBe(503)
        expect(await res.json()).toEqual({
          status: 'unavailable',
          checks: { postgres: 'ok', storage: 'failing' },
        })
      } finally {
        setImmutable([media], false)
      }
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200)
    },
  )
})
