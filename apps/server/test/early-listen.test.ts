import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { loadConfig } from '../src/config.js'
import { earlyAddress, listenEarly, type StartingServer } from '../src/early-listen.js'

let starting: StartingServer | null = null
afterEach(async () => {
  const server = starting?.server
  starting = null
  if (server) await new Promise((resolve) => server.close(resolve))
  server?.closeAllConnections()
})

const open = async (): Promise<string> => {
  starting = await listenEarly({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(starting.server.address() as AddressInfo).port}`
}

describe('listenEarly: the server listens while the service starts', () => {
  it('answers liveness 200 and readiness 503 before the app exists', async () => {
    const url = await open()
    const live = await fetch(`${url}/health`)
    expect(live.status).toBe(200)
    expect(live.headers.get('content-type')).toBe('application/json')
    expect(live.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const body = (await live.json()) as { status: string; timestamp: string; uptime: number }
    expect(body.status).toBe('healthy')
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false)
    expect(body.uptime).toBeGreaterThanOrEqual(0)

    const ready = await fetch(`${url}/health/ready?probe=1`)
    expect(ready.status).toBe(503)
    expect(ready.headers.get('cache-control')).toBe('no-store')
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { startup: 'failing' } })
  })

  it('holds other requests, with their bodies, until the app is there, then serves them in order', async () => {
    const url = await open()
    const answered: string[] = []
    const early = [
      fetch(`${url}/api/v1/recordings`).then(async (r) => answered.push(`${r.status} ${await r.text()}`)),
      fetch(`${url}/api/v1/recordings/start`, { method: 'POST', body: '{"sessionId":"s"}' }).then(async (r) =>
        answered.push(`${r.status} ${await r.text()}`),
      ),
      // A POST to /health is not the probe: it waits for the app like any other request.
      fetch(`${url}/health`, { method: 'POST' }).then(async (r) =>
        answered.push(`${r.status} ${await r.text()}`),
      ),
    ]
    // Until open, nothing but the probes is answered.
    expect((await fetch(`${url}/health`)).status).toBe(200)
    expect(answered).toEqual([])
    starting?.open((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        response.writeHead(201, { 'Content-Type': 'text/plain' })
        response.end(`${request.method} ${request.url} ${Buffer.concat(chunks).toString()}`)
      })
    })
    await Promise.all(early)
    expect(answered.sort()).toEqual([
      '201 GET /api/v1/recordings ',
      '201 POST /api/v1/recordings/start {"sessionId":"s"}',
      '201 POST /health ',
    ])
    // From now on the app answers the probes too.
    expect(await (await fetch(`${url}/health`)).text()).toBe('GET /health ')
  })

  it('holds WebSocket upgrades and hands them to the upgrade listener attached before open', async () => {
    const url = await open()
    const client = new WebSocket(`${url.replace('http', 'ws')}/api/v1/events`)
    const opened = new Promise<void>((resolve, reject) => {
      client.once('open', resolve)
      client.once('error', reject)
    })
    const echoed = new Promise<string>((resolve) => client.once('message', (data) => resolve(String(data))))
    // The upgrade has reached the server and waits (the probe answered after it on another socket).
    expect((await fetch(`${url}/health`)).status).toBe(200)
    const wss = new WebSocketServer({ noServer: true })
    const server = starting?.server as Server
    server.on('upgrade', (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (ws) => ws.send(`hello ${request.url}`))
    })
    starting?.open((_request, response) => response.end())
    await opened
    expect(await echoed).toBe('hello /api/v1/events')
    client.close()
    wss.close()
  })

  it('rejects when the port is taken, so the process can report it and exit', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    await expect(listenEarly({ port, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    await new Promise((resolve) => taken.close(resolve))
  })

  it('opens once', async () => {
    await open()
    starting?.open(() => undefined)
    expect(() => starting?.open(() => undefined)).toThrow(/already open/)
  })
})

describe('earlyAddress: the listen address before the configuration is loaded', () => {
  it.each([
    [{}, { port: 3000, host: '0.0.0.0' }],
    [
      { PORT: '0', HOST: '127.0.0.1' },
      { port: 0, host: '127.0.0.1' },
    ],
    [
      { PORT: '65535', HOST: '::' },
      { port: 65535, host: '::' },
    ],
  ])('%j → %j, as loadConfig reads it', (env, expected) => {
    expect(earlyAddress(env)).toEqual(expected)
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env })
    expect({ port: config.PORT, host: config.HOST }).toEqual(expected)
  })

  it.each([
    [{ PORT: 'abc' }],
    [{ PORT: '70000' }],
    [{ PORT: '' }],
    [{ PORT: ' 80' }],
    [{ PORT: '3e3' }],
    [{ HOST: '' }],
  ])('leaves %j to loadConfig (which names the problem or coerces it)', (env) => {
    expect(earlyAddress(env)).toBeNull()
  })
})
