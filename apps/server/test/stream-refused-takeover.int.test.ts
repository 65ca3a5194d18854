import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest, sha256Hex } from './support/rest.js'
import { mediaBytes } from './support/streamer.js'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, bug 1: user B opening A's stream got 4404 but cut A's stream with 4000, because the
// refused stream claimed the recording's slot before its ownership was checked (SPEC §6.5).
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'

describe(`a refused stream never touches the recording's live stream (${backend})`, () => {
  let server: TestServer
  let aliceToken: string
  let bobToken: string
  const streamUrl = (id: string, token: string): string =>
    `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`

  beforeAll(async () => {
    server = await startTestServer(backend)
    aliceToken = await server.token(crypto.randomUUID())
    bobToken = await server.token(crypto.randomUUID())
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it.each([
    ['another user', 4404, 'RECORDING_NOT_FOUND', () => bobToken],
    ['a bad token', 4401, 'UNAUTHORIZED', () => 'not.a.jwt'],
  ])(
    '%s gets an error and close %i; the owner keeps streaming to completion',
    async (_n, close, code, token) => {
      const media = mediaBytes(300_000, 3)
      const api = rest(server, aliceToken)
      const { id } = await api.start()
      const owner = new TestSocket(streamUrl(id, aliceToken))
      expect(await owner.ofType('ready')).toEqual({ type: 'ready', offset: 0 })
      await owner.send(media.subarray(0, 100_000))
      await owner.ackedAtLeast(100_000)

      const intruder = new TestSocket(streamUrl(id, token()))
      expect((await intruder.closed).code).toBe(close)
      expect(intruder.messages).toEqual([{ type: 'error', code, message: expect.any(String) }])

      // The owner's stream is still the recording's: more bytes are acked and it completes.
      await owner.send(media.subarray(100_000, 200_000))
      await owner.ackedAtLeast(200_000)
      await owner.send(media.subarray(200_000))
      await owner.send(JSON.stringify({ type: 'stop' }))
      const completed = await owner.ofType('completed')
      expect((await owner.closed).code).toBe(1000)
      expect(owner.messages.filter((m) => m.type === 'error')).toEqual([])
      expect(completed.recording).toMatchObject({
        id,
        status: 'completed',
        sizeBytes: media.byteLength,
        checksum: `sha256:${await sha256Hex(media)}`,
      })
    },
  )

  it("the owner's second stream still takes over (4000), after the refused one", async () => {
    const api = rest(server, aliceToken)
    const { id } = await api.start()
    const first = new TestSocket(streamUrl(id, aliceToken))
    await first.ofType('ready')
    await first.send(mediaBytes(10_000, 1))
    await first.ackedAtLeast(10_000)
    const intruder = new TestSocket(streamUrl(id, bobToken))
    expect((await intruder.closed).code).toBe(4404)
    const second = new TestSocket(streamUrl(id, aliceToken))
    expect((await second.ofType('ready')).offset).toBe(10_000)
    expect((await first.closed).code).toBe(4000)
    second.close()
  })
})
