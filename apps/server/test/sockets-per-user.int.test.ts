import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, item 6: one token opened 500 event sockets and 250 streams. MAX_SOCKETS_PER_USER caps
// each kind per user (SPEC §6.9); one more gets an error frame and close 1008.
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'
const CAP = 3

describe(`MAX_SOCKETS_PER_USER (${backend})`, () => {
  let server: TestServer
  const open: TestSocket[] = []
  beforeAll(async () => {
    server = await startTestServer(backend, { MAX_SOCKETS_PER_USER: String(CAP) })
  })
  afterAll(async () => {
    for (const socket of open) socket.socket.terminate()
    await server?.dispose()
  })

  const events = (token: string): TestSocket => {
    const socket = new TestSocket(`${server.wsUrl}/api/v1/events?token=${token}`)
    open.push(socket)
    return socket
  }
  const stream = (id: string, token: string): TestSocket => {
    const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
    open.push(socket)
    return socket
  }
  /**
   * A socket opened after another was closed: the client may see its close a moment before the
   * server releases the slot, so a TOO_MANY_CONNECTIONS refusal is retried a few times.
   */
  const admitted = async (make: () => TestSocket): Promise<TestSocket> => {
    for (let attempt = 1; ; attempt++) {
      const socket = make()
      const first = await socket.next(() => true)
      if (first.code !== 'TOO_MANY_CONNECTIONS' || attempt === 20) return socket
      await socket.closed
    }
  }
  const expectRefused = async (socket: TestSocket): Promise<void> => {
    expect((await socket.closed).code).toBe(1008)
    expect(socket.messages).toEqual([
      { type: 'error', code: 'TOO_MANY_CONNECTIONS', message: expect.stringContaining(String(CAP)) },
    ])
  }

  it('refuses one event socket more than the cap with 1008; a closed one frees its slot', async () => {
    const alice = await server.token(crypto.randomUUID())
    const held = Array.from({ length: CAP }, () => events(alice))
    for (const socket of held) await socket.ofType('ready')
    await expectRefused(events(alice))
    // Another user is counted apart.
    await events(await server.token(crypto.randomUUID())).ofType('ready')
    // The held sockets were not touched.
    expect(held.map((s) => s.socket.readyState)).toEqual(held.map(() => 1))
    held[0]?.close()
    await held[0]?.closed
    expect(await (await admitted(() => events(alice))).ofType('ready')).toEqual({ type: 'ready' })
  })

  it('caps streams apart from event sockets, and counts only sockets that got through auth', async () => {
    const alice = await server.token(crypto.randomUUID())
    const api = rest(server, alice)
    for (let i = 0; i < CAP; i++) await events(alice).ofType('ready')
    // Refused sockets (bad token, bad id) hold no slot.
    for (let i = 0; i < CAP + 1; i++) {
      expect((await stream(crypto.randomUUID(), 'nope').closed).code).toBe(4401)
      expect((await stream('not-an-id', alice).closed).code).toBe(4404)
    }
    const ids = await Promise.all(Array.from({ length: CAP + 1 }, async () => (await api.start()).id))
    const streams = ids.slice(0, CAP).map((id) => stream(id, alice))
    for (const socket of streams) await socket.ofType('ready')
    const extra = stream(ids[CAP] ?? '', alice)
    await expectRefused(extra)
    // A refused stream's recording is untouched and can be streamed once a slot is free.
    expect(await api.get(ids[CAP] ?? '')).toMatchObject({ status: 'recording', sizeBytes: 0 })
    await streams[0]?.send(JSON.stringify({ type: 'stop' }))
    expect((await streams[0]?.closed)?.code).toBe(1000)
    const freed = await admitted(() => stream(ids[CAP] ?? '', alice))
    expect(await freed.ofType('ready')).toEqual({ type: 'ready', offset: 0 })
  })
})
