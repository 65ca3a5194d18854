import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './support/test-server.js'

/** Connects, runs `behave` on the raw socket, and resolves how long the server took to end it and what it sent. */
function hold(
  port: number,
  behave: (socket: Socket) => void,
): Promise<{ seconds: number; received: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let received = ''
    const socket = connect(port, '127.0.0.1', () => behave(socket))
    socket.on('data', (data) => {
      received += data.toString()
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve({ seconds: (performance.now() - started) / 1000, received }))
    setTimeout(() => reject(new Error('the server kept an abusive connection open for 25 s')), 25_000).unref()
  })
}

describe('slowloris: idle and trickling connections are closed', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer('pglite')
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('closes a silent connection, a header trickle and an idle keep-alive connection by their timeouts', async () => {
    const timers: NodeJS.Timeout[] = []
    const [silent, trickle, keepAlive] = await Promise.all([
      hold(server.port, () => {}),
      hold(server.port, (socket) => {
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\n')
        // One header byte a second, never the blank line that ends the headers.
        timers.push(setInterval(() => socket.writable && socket.write('X'), 1000))
      }),
      hold(server.port, (socket) =>
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n'),
      ),
    ])
    for (const t of timers) clearInterval(t)
    console.log(
      `slowloris: silent closed after ${silent.seconds.toFixed(1)} s, header trickle after ${trickle.seconds.toFixed(1)} s ` +
        `(${trickle.received.split('\r\n')[0] || 'no response'}), idle keep-alive after ${keepAlive.seconds.toFixed(1)} s`,
    )
    // headersTimeout 10 s, checked every second; keepAliveTimeout 5 s.
    expect(silent.seconds).toBeLessThan(13)
    expect(trickle.seconds).toBeGreaterThan(9)
    expect(trickle.seconds).toBeLessThan(13)
    expect(trickle.received).not.toMatch(/^HTTP\/1\.1 200/)
    expect(keepAlive.received).toMatch(/^HTTP\/1\.1 200/)
    expect(keepAlive.seconds).toBeGreaterThan(4)
    expect(keepAlive.seconds).toBeLessThan(8)
  }, 30_000)
})
