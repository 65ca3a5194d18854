import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomFrames, rest, sha256Hex } from './support/rest.js'
import { BACKENDS, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const media = new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures/sample.webm')))
const MAX_BYTES = 1024 * 1024
const MAX_FRAME = 128 * 1024

for (const backend of BACKENDS) {
  const why = unavailable(backend)
  describe.skipIf(why !== null)(`WebSocket ingest on ${backend}${why ? ` (skipped: ${why})` : ''}`, () => {
    let server: TestServer
    let alice: string
    let aliceToken: string
    let bobToken: string
    const streamUrl = (id: string, token?: string): string =>
      `${server.wsUrl}/api/v1/recordings/${id}/stream${token ? `?token=${token}` : ''}`
    const connect = async (
      id: string,
      token: string,
      how: 'header' | 'query' = 'header',
    ): Promise<TestSocket> => {
      const socket =
        how === 'header'
          ? new TestSocket(streamUrl(id), { authorization: `Bearer ${token}` })
          : new TestSocket(streamUrl(id, token))
      await socket.opened()
      return socket
    }

    beforeAll(async () => {
      server = await startTestServer(backend, {
        MAX_RECORDING_BYTES: String(MAX_BYTES),
        MAX_FRAME_BYTES: String(MAX_FRAME),
      })
      alice = crypto.randomUUID()
      aliceToken = await server.token(alice)
      bobToken = await server.token(crypto.randomUUID())
    })
    afterAll(async () => {
      await server?.dispose()
    })

    it('streams a real WebM in random frames, survives a cut, resumes and downloads it byte for byte', async () => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const first = await connect(id, aliceToken)
      expect(await first.ofType('ready')).toEqual({ type: 'ready', offset: 0 })
      const cut = Math.floor(media.byteLength * (0.3 + Math.random() * 0.4))
      for (const frame of randomFrames(media.subarray(0, cut), 16 * 1024)) await first.send(frame)
      await first.ackedAtLeast(1)
      const acked = first.lastAck()
      first.socket.terminate() // no stop, no close handshake
      await first.closed

      const second = await connect(id, aliceToken, 'query')
      const ready = await second.ofType('ready')
      expect(ready.offset).toBeGreaterThanOrEqual(acked)
      expect(ready.offset).toBeLessThanOrEqual(cut)
      for (const frame of randomFrames(media.subarray(ready.offset), 16 * 1024)) await second.send(frame)
      await second.send(JSON.stringify({ type: 'stop' }))
      const completed = await second.ofType('completed')
      expect((await second.closed).code).toBe(1000)
      const acks = second.messages.filter((m) => m.type === 'ack')
      expect(acks.at(-1)?.offset).toBe(media.byteLength)
      expect(second.messages.indexOf(acks.at(-1) as never)).toBeLessThan(second.messages.indexOf(completed))
      expect(completed.recording).toMatchObject({
        id,
        status: 'completed',
        sizeBytes: media.byteLength,
        stopReason: 'client',
      })

      const downloaded = await api.content(id)
      expect(Buffer.compare(downloaded, media)).toBe(0)
      expect(completed.recording?.checksum).toBe(`sha256:${await sha256Hex(media)}`)
    })

    it('hands a recording over to a second stream: the first closes 4000 after its writes', async () => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const first = await connect(id, aliceToken)
      await first.ofType('ready')
      await first.send(media.subarray(0, 50_000))
      await first.ackedAtLeast(50_000)
      await first.send(media.subarray(50_000, 60_000))
      const second = await connect(id, aliceToken)
      const ready = await second.ofType('ready')
      expect((await first.closed).code).toBe(4000)
      expect(ready.offset).toBeGreaterThanOrEqual(first.lastAck())
      expect([50_000, 60_000]).toContain(ready.offset)
      await second.send(media.subarray(ready.offset, 70_000))
      await second.send(JSON.stringify({ type: 'stop' }))
      expect((await second.ofType('completed')).recording?.sizeBytes).toBe(70_000)
      expect(Buffer.compare(await api.content(id), media.subarray(0, 70_000))).toBe(0)
    })

    it('completes at the size limit mid-frame and never acks a byte past it', async () => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const socket = await connect(id, aliceToken)
      await socket.ofType('ready')
      const frame = new Uint8Array(100_000).fill(7)
      for (
        let sent = 0;
        sent < MAX_BYTES + 200_000 && socket.socket.readyState === 1;
        sent += frame.byteLength
      ) {
        await socket.send(frame).catch(() => {})
      }
      const completed = await socket.ofType('completed')
      expect(completed.recording).toMatchObject({
        status: 'completed',
        stopReason: 'limit_size',
        sizeBytes: MAX_BYTES,
      })
      expect((await socket.closed).code).toBe(1000)
      expect(Math.max(...socket.messages.filter((m) => m.type === 'ack').map((m) => m.offset ?? 0))).toBe(
        MAX_BYTES,
      )
      expect((await api.content(id)).byteLength).toBe(MAX_BYTES)
    })

    it('closes 1009 on a frame over MAX_FRAME_BYTES, leaving the recording resumable', async () => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const socket = await connect(id, aliceToken)
      await socket.ofType('ready')
      await socket.send(new Uint8Array(MAX_FRAME + 1)).catch(() => {})
      expect((await socket.closed).code).toBe(1009)
      expect(await api.get(id)).toMatchObject({ status: 'recording' })
    })

    it.each([
      ['no token', async () => new TestSocket(streamUrl(crypto.randomUUID())), 4401, 'UNAUTHORIZED'],
      [
        'a bad token',
        async () => new TestSocket(streamUrl(crypto.randomUUID(), 'not.a.jwt')),
        4401,
        'UNAUTHORIZED',
      ],
      [
        'an unknown recording',
        async () => new TestSocket(streamUrl(crypto.randomUUID(), aliceToken)),
        4404,
        'RECORDING_NOT_FOUND',
      ],
      [
        'a malformed id',
        async () => new TestSocket(streamUrl('..%2F..%2Fetc', aliceToken)),
        4404,
        'RECORDING_NOT_FOUND',
      ],
      [
        "another user's recording",
        async () => new TestSocket(streamUrl((await rest(server, aliceToken).start()).id, bobToken)),
        4404,
        'RECORDING_NOT_FOUND',
      ],
    ])('refuses %s with an error frame and close %i', async (_name, open, close, code) => {
      const socket = await open()
      expect((await socket.closed).code).toBe(close)
      expect(socket.messages).toEqual([{ type: 'error', code, message: expect.any(String) }])
    })

    it('closes 4409 on a recording that is not recording', async () => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      expect((await api.stop(id)).status).toBe(200)
      const socket = await connect(id, aliceToken)
      expect((await socket.closed).code).toBe(4409)
      expect(socket.messages).toEqual([
        { type: 'error', code: 'RECORDING_NOT_RECORDING', message: expect.any(String) },
      ])
    })

    it.each([
      ['text that is not JSON', '{"type":'],
      ['an unknown control message', '{"type":"pause"}'],
      ['JSON that is not an object', '42'],
    ])('closes 4400 on %s, keeping the bytes stored before it', async (_name, text) => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const socket = await connect(id, aliceToken)
      await socket.ofType('ready')
      await socket.send(media.subarray(0, 1000))
      await socket.ackedAtLeast(1000)
      await socket.send(text)
      expect((await socket.closed).code).toBe(4400)
      expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'BAD_MESSAGE' })
      const again = await connect(id, aliceToken)
      expect((await again.ofType('ready')).offset).toBe(1000)
      again.close()
    })

    it('closes an attached stream when its recording is deleted', async () => {
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const socket = await connect(id, aliceToken)
      await socket.ofType('ready')
      await socket.send(media.subarray(0, 2000))
      await socket.ackedAtLeast(2000)
      expect((await api.call('DELETE', `/recordings/${id}`)).status).toBe(204)
      expect((await socket.closed).code).toBe(4404)
      expect((await api.call('GET', `/recordings/${id}`)).status).toBe(404)
    })

    it('pushes a user their own recording events and nothing of anyone else’s', async () => {
      const events = new TestSocket(`${server.wsUrl}/api/v1/events`, {
        authorization: `Bearer ${aliceToken}`,
      })
      const bobEvents = new TestSocket(`${server.wsUrl}/api/v1/events?token=${bobToken}`)
      await events.ofType('ready')
      await bobEvents.ofType('ready')
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const socket = await connect(id, aliceToken)
      await socket.ofType('ready')
      await socket.send(media.subarray(0, 5000))
      await socket.send(JSON.stringify({ type: 'stop' }))
      await socket.ofType('completed')
      await events.next((m) => m.recording?.id === id && m.recording?.status === 'completed')
      const statuses = events.messages
        .filter((m) => m.type === 'recording.updated' && m.recording?.id === id)
        .map((m) => m.recording?.status)
      expect(statuses[0]).toBe('recording')
      expect(statuses.slice(-2)).toEqual(['stopping', 'completed'])
      expect(bobEvents.messages.filter((m) => m.type !== 'ready')).toEqual([])
      events.close()
      bobEvents.close()
    })

    it('refuses the events stream without a valid token', async () => {
      const socket = new TestSocket(`${server.wsUrl}/api/v1/events?token=nope`)
      expect((await socket.closed).code).toBe(4401)
    })
  })
}
