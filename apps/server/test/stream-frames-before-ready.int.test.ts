import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest, sha256Hex } from './support/rest.js'
import { mediaBytes } from './support/streamer.js'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, bug 3: a client that sent bytes and `stop` right after the socket opened got
// `completed` with 0 bytes. What arrives before `ready` is kept in order and handled after it
// (SPEC §6.6).
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'

describe(`frames and a stop sent before ready (${backend})`, () => {
  let server: TestServer
  let token: string
  const streamUrl = (id: string): string => `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`

  beforeAll(async () => {
    server = await startTestServer(backend)
    token = await server.token(crypto.randomUUID())
  })
  afterAll(async () => {
    await server?.dispose()
  })

  /** Opens a stream and sends `frames` the moment the socket is open, before any `ready` can arrive. */
  const sendOnOpen = async (id: string, frames: (Uint8Array | string)[]): Promise<TestSocket> => {
    const socket = new TestSocket(streamUrl(id))
    await socket.opened()
    expect(socket.messages).toEqual([])
    for (const frame of frames) socket.socket.send(frame)
    return socket
  }

  it('stores the bytes and completes with their size and checksum', async () => {
    const media = mediaBytes(70_000, 5)
    const { id } = await rest(server, token).start()
    const socket = await sendOnOpen(id, [
      media.subarray(0, 30_000),
      media.subarray(30_000),
      '{"type":"stop"}',
    ])
    const completed = await socket.ofType('completed')
    expect((await socket.closed).code).toBe(1000)
    expect(socket.messages[0]).toEqual({ type: 'ready', offset: 0 })
    expect(socket.messages.filter((m) => m.type === 'ack').at(-1)?.offset).toBe(media.byteLength)
    expect(completed.recording).toMatchObject({
      id,
      status: 'completed',
      sizeBytes: media.byteLength,
      checksum: `sha256:${await sha256Hex(media)}`,
    })
    expect(Buffer.compare(await rest(server, token).content(id), media)).toBe(0)
  })

  it('appends after the bytes already stored when resuming', async () => {
    const media = mediaBytes(50_000, 6)
    const { id } = await rest(server, token).start()
    const first = new TestSocket(streamUrl(id))
    await first.ofType('ready')
    await first.send(media.subarray(0, 20_000))
    await first.ackedAtLeast(20_000)
    first.close()
    await first.closed
    const second = await sendOnOpen(id, [media.subarray(20_000), '{"type":"stop"}'])
    expect((await second.ofType('ready')).offset).toBe(20_000)
    expect((await second.ofType('completed')).recording).toMatchObject({
      sizeBytes: media.byteLength,
      checksum: `sha256:${await sha256Hex(media)}`,
    })
  })

  it('a bad message before ready closes 4400 after the bytes sent before it are stored', async () => {
    const media = mediaBytes(10_000, 7)
    const { id } = await rest(server, token).start()
    const socket = await sendOnOpen(id, [media, '{"type":"pause"}', mediaBytes(5_000, 8)])
    expect((await socket.closed).code).toBe(4400)
    expect(socket.messages[0]).toEqual({ type: 'ready', offset: 0 })
    expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'BAD_MESSAGE' })
    const again = new TestSocket(streamUrl(id))
    expect((await again.ofType('ready')).offset).toBe(media.byteLength)
    again.close()
  })
})
