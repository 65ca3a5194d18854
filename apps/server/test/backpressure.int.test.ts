import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { type ServerData, serverData } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const TOTAL = Number(process.env.BP_TOTAL_MIB ?? 256) * 1024 * 1024
const FRAME = 1024 * 1024
/** What the server may grow by while a client pushes 256 MiB as fast as it can. */
const BOUND = 128 * 1024 * 1024

describe('backpressure: a fast client cannot make the server buffer', () => {
  let server: ChildServer
  let data: ServerData | undefined
  beforeAll(async () => {
    // PGlite's WebAssembly heap dwarfs what streaming uses; a real PostgreSQL keeps the baseline honest.
    data = await serverData('rec-bp-', process.env.TEST_DATABASE_URL !== undefined)
    server = await startChildServer({ ...data.env, MAX_RECORDING_BYTES: String(2 * TOTAL) })
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await data?.dispose()
  })

  it(`streams ${TOTAL / 2 ** 20} MiB while the server's RSS grows by less than ${BOUND / 2 ** 20} MiB`, async () => {
    const token = await signToken(crypto.randomUUID())
    const res = await fetch(`${server.url}/api/v1/recordings/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: crypto.randomUUID() }),
    })
    const { id } = (await res.json()) as { id: string }
    const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
    await socket.ofType('ready')
    // Let start-up garbage settle, then take the baseline from outside the process.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const baseline = server.rssBytes()
    let peak = baseline
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssBytes())
    }, 20)
    const frame = new Uint8Array(FRAME).fill(42)
    const started = performance.now()
    try {
      for (let sent = 0; sent < TOTAL; sent += FRAME) {
        // As fast as the socket takes it: only our own send buffer bounds the client.
        while (socket.socket.bufferedAmount > 16 * FRAME) await new Promise((r) => setImmediate(r))
        socket.socket.send(frame)
      }
      await socket.ackedAtLeast(TOTAL)
    } finally {
      clearInterval(sampler)
    }
    const seconds = (performance.now() - started) / 1000
    const growth = peak - baseline
    console.log(
      `backpressure: ${TOTAL / 2 ** 20} MiB in ${seconds.toFixed(1)} s (${(TOTAL / 2 ** 20 / seconds).toFixed(0)} MiB/s); server RSS ` +
        `baseline ${(baseline / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB, growth ${(growth / 2 ** 20).toFixed(0)} MiB`,
    )
    expect(growth).toBeLessThan(BOUND)
    socket.close()
  }, 180_000)
})
