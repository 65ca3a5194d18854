import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'

// Issue 10, item 10: a token over Node's 16 KiB header limit got node:http's bare 431, with no
// body. Requests node:http cannot parse now get an RFC 9457 problem like every other error.
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'

/** Writes `request` on a raw socket and resolves everything the server sent before it closed. */
const raw = (port: number, request: string): Promise<string> =>
  new Promise((resolve, reject) => {
    let received = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    socket.on('data', (data) => {
      received += data.toString()
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(received))
    setTimeout(() => reject(new Error(`no close; got ${received}`)), 15_000).unref()
  })

describe(`requests node:http refuses get a problem body (${backend})`, () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(backend)
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('a 20 KB token: 431 application/problem+json, REQUEST_HEADERS_TOO_LARGE', async () => {
    const res = await fetch(`${server.url}/api/v1/recordings`, {
      headers: { authorization: `Bearer ${'x'.repeat(20 * 1024)}` },
    })
    expect(res.status).toBe(431)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('connection')).toBe('close')
    const requestId = res.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.json()).toEqual({
      type: 'urn:problem:recording-service:request-headers-too-large',
      title: 'Request header fields too large',
      status: 431,
      detail: expect.stringMatching(/16 KiB/),
      code: 'REQUEST_HEADERS_TOO_LARGE',
      requestId,
    })
  })

  it('the same on a WebSocket upgrade with a huge ?token=', async () => {
    const answer = await raw(
      server.port,
      `GET /api/v1/events?token=${'x'.repeat(20 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n` +
        'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    )
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
    expect(answer).toContain('"code":"REQUEST_HEADERS_TOO_LARGE"')
  })

  it('the same after an answered request on a kept-alive connection', async () => {
    const huge = `GET /api/v1/recordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'x'.repeat(20 * 1024)}\r\n\r\n`
    const answer = await new Promise<string>((resolve, reject) => {
      let received = ''
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'),
      )
      socket.on('data', (data) => {
        const first = received === ''
        received += data.toString()
        // The first answer is in: send the next request on the same connection.
        if (first) socket.write(huge)
      })
      socket.on('error', () => {})
      socket.on('close', () => resolve(received))
      setTimeout(() => reject(new Error(`no close; got ${received}`)), 15_000).unref()
    })
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(answer.indexOf('HTTP/1.1 431 Request Header Fields Too Large\r\n')).toBeGreaterThan(0)
    expect(answer).toContain('"code":"REQUEST_HEADERS_TOO_LARGE"')
  })

  it('a request line node:http cannot parse: 400 problem, MALFORMED_REQUEST', async () => {
    const answer = await raw(server.port, 'NOT A REQUEST\r\n\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(answer).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i)
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))
    expect(body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' })
    expect(JSON.stringify(body)).not.toMatch(/HPE_|llhttp|Parse Error/)
  })

  it('a token under the limit is still a plain 401', async () => {
    const res = await fetch(`${server.url}/api/v1/recordings`, {
      headers: { authorization: `Bearer ${'x'.repeat(12 * 1024)}` },
    })
    expect(res.status).toBe(401)
  })
})
