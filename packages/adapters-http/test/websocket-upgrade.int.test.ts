import { createServer, type IncomingMessage, type Server } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { getRequestListener } from '@hono/node-server'
import { MemoryEventBus } from '@rec/domain'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Authenticator } from '../src/auth/authenticator.js'
import { JoseAuthenticator } from '../src/auth/jose-authenticator.js'
import { createHttpServer } from '../src/http-server.js'
import { InProcessRateLimiter } from '../src/rate-limit/in-process-rate-limiter.js'
import { StreamRegistry } from '../src/ws/stream-registry.js'
import { AUDIENCE, ISSUER, makeHarness, SECRET, token } from './harness.js'

// Issue 14: `@hono/node-ws` kept every handshake's Hono context (and through it the Request,
// Headers, Responses, URLs and node:http's IncomingMessage) alive as long as the socket, ~28 KB a
// stream. The upgrade path of ws/web-socket-upgrades.ts hands the socket over with none of it.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let server: Server | null = null
afterEach(async () => {
  const s = server
  server = null
  s?.closeAllConnections()
  await new Promise<void>((resolve) => s?.close(() => resolve()) ?? resolve())
})

async function listen(
  perMinute = 10_000,
  authenticator: Authenticator = new JoseAuthenticator({
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
  }),
): Promise<{ url: string; upgrades: IncomingMessage[] }> {
  const h = makeHarness()
  const http = createHttpServer({
    service: h.service,
    events: new MemoryEventBus(),
    registry: new StreamRegistry(),
    authenticator,
    rateLimiter: new InProcessRateLimiter({ perMinute }),
    logger: pino({ level: 'silent' }),
    readiness: async () => ({ checks: {} }),
    corsOrigins: '*',
    maxFrameBytes: 1024,
  })
  const s = createServer(getRequestListener(http.app.fetch))
  server = s
  const upgrades: IncomingMessage[] = []
  s.on('upgrade', (request: IncomingMessage) => upgrades.push(request))
  http.injectWebSocket(s)
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()))
  return { url: `ws://127.0.0.1:${(s.address() as AddressInfo).port}`, upgrades }
}

/** The first text message of an open socket. */
const firstMessage = (socket: WebSocket): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>))
    socket.once('error', reject)
  })

/** The status, headers and body of an upgrade the server refused with an HTTP answer. */
const refusal = (socket: WebSocket) =>
  new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    socket.once('open', () => reject(new Error('the upgrade was accepted')))
  })

describe('WebSocket upgrades through the app', () => {
  it('an open socket keeps nothing of its handshake (node:http request, Hono context)', async () => {
    const { url, upgrades } = await listen()
    const socket = new WebSocket(`${url}/api/v1/events?token=${await token()}`)
    expect(await firstMessage(socket)).toEqual({ type: 'ready' })
    const handshake = new WeakRef(upgrades.splice(0)[0] as IncomingMessage)
    for (let i = 0; i < 5 && handshake.deref() !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      gc()
    }
    expect(handshake.deref()).toBeUndefined()
    expect(socket.readyState).toBe(WebSocket.OPEN)
    socket.close()
  })

  it('a refused upgrade gets the app’s whole answer: 429 with Retry-After and the problem body', async () => {
    const { url } = await listen(1)
    const jwt = await token()
    const first = new WebSocket(`${url}/api/v1/events?token=${jwt}`)
    expect(await firstMessage(first)).toEqual({ type: 'ready' })
    const answer = await refusal(new WebSocket(`${url}/api/v1/events?token=${jwt}`))
    expect(answer.status).toBe(429)
    expect(answer.headers['retry-after']).toMatch(/^\d+$/)
    expect(answer.headers['x-request-id']).toBeTruthy()
    expect(answer.headers.connection).toBe('close')
    expect(JSON.parse(answer.body)).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
    first.close()
  })

  it('an upgrade to a path without a WebSocket route is the 404 problem, not a socket', async () => {
    const { url } = await listen()
    const answer = await refusal(new WebSocket(`${url}/api/v1/nowhere?token=${await token()}`))
    expect(answer.status).toBe(404)
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a frame over maxFrameBytes closes the socket 1009 and leaves the server serving', async () => {
    const { url } = await listen()
    const socket = new WebSocket(`${url}/api/v1/events?token=${await token()}`)
    expect(await firstMessage(socket)).toEqual({ type: 'ready' })
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    socket.send(Buffer.alloc(4096))
    expect(await closed).toBe(1009)
    const again = new WebSocket(`${url}/api/v1/events?token=${await token()}`)
    expect(await firstMessage(again)).toEqual({ type: 'ready' })
    again.close()
  })

  it('a client that resets while the app is still answering its upgrade does not take the server down', async () => {
    let answered = (): void => {}
    const slow: Authenticator = {
      verify: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100))
        answered()
        throw new Error('no')
      },
    }
    const { url } = await listen(10_000, slow)
    const port = new URL(url).port
    const client = connect(Number(port), '127.0.0.1', () => {
      client.write(
        'GET /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nConnection: Upgrade\r\n' +
          'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      )
      setTimeout(() => client.resetAndDestroy(), 20)
    })
    client.on('error', () => {})
    await new Promise<void>((resolve) => {
      answered = resolve
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await fetch(`${url.replace(/^ws/, 'http')}/health`)).status).toBe(200)
  })
})
