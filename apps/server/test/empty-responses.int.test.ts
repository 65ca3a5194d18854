import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'

// Issue 10, item 10: 204, 304 and body-less HEAD answers carried `Content-Type: text/plain`, which
// @hono/node-server adds to every response without one. Empty responses carry none (SPEC §9).
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'

describe(`empty responses carry no Content-Type (${backend})`, () => {
  let server: TestServer
  let api: ReturnType<typeof rest>
  beforeAll(async () => {
    server = await startTestServer(backend)
    api = rest(server, await server.token(crypto.randomUUID()))
  })
  afterAll(async () => {
    await server?.dispose()
  })

  const patch = (id: string, offset: number, body: Uint8Array) =>
    api.call('PATCH', `/recordings/${id}/content`, {
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
      body,
    })

  it('HEAD while recording, PATCH 204, 304, DELETE 204 and a CORS preflight have none', async () => {
    const { id } = await api.start()
    const head = await api.call('HEAD', `/recordings/${id}/content`)
    expect(head.status).toBe(200)
    expect(head.headers.get('upload-offset')).toBe('0')
    expect(head.headers.get('content-type')).toBeNull()

    const patched = await patch(id, 0, new Uint8Array(10).fill(1))
    expect(patched.status).toBe(204)
    expect(patched.headers.get('content-type')).toBeNull()

    expect((await api.stop(id)).status).toBe(200)
    const etag = (await api.call('GET', `/recordings/${id}/content`)).headers.get('etag') ?? ''
    const notModified = await api.call('GET', `/recordings/${id}/content`, {
      headers: { 'if-none-match': etag },
    })
    expect(notModified.status).toBe(304)
    expect(notModified.headers.get('etag')).toBe(etag)
    expect(notModified.headers.get('content-type')).toBeNull()

    const preflight = await fetch(`${server.url}/api/v1/recordings`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('content-type')).toBeNull()

    const deleted = await api.call('DELETE', `/recordings/${id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.headers.get('content-type')).toBeNull()
  })

  it('keeps the Content-Type of what a HEAD describes, and of every response with a body', async () => {
    const { id } = await api.start(crypto.randomUUID(), { format: 'ogg' })
    expect((await patch(id, 0, new Uint8Array(5))).status).toBe(204)
    await api.stop(id)
    const head = await api.call('HEAD', `/recordings/${id}/content`)
    expect(head.headers.get('content-type')).toBe('audio/ogg')
    expect(head.headers.get('content-length')).toBe('5')
    expect((await api.call('HEAD', '/recordings')).headers.get('content-type')).toMatch(/^application\/json/)
    expect((await api.call('GET', `/recordings/${id}`)).headers.get('content-type')).toMatch(
      /^application\/json/,
    )
    const conflict = await patch(id, 0, new Uint8Array(1))
    expect(conflict.status).toBe(409)
    expect(conflict.headers.get('content-type')).toBe('application/problem+json')
    expect((await fetch(`${server.url}/metrics`)).headers.get('content-type')).toMatch(
      /^text\/plain; version=/,
    )
  })
})
