import { afterEach, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { mediaBytes, pump, resumeAndFinish } from './support/streamer.js'
import { serverData } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const STREAMS = 3
// Paced at ~10 MiB/s per stream, so the signal arrives with bytes still flowing and queued.
const SIZE = 24 * 1024 * 1024

describe(`graceful shutdown with streams in flight (${backend})`, () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: streams close 1001 after their writes, exit 0 in < 10 s, nothing acked is lost, clients resume`, async () => {
      const data = await serverData('rec-shutdown-', backend === 'postgres')
      cleanups.push(() => data.dispose())
      const env = data.env
      const token = await signToken(crypto.randomUUID())
      let server: ChildServer = await startChildServer(env)
      cleanups.push(() => server.stop('SIGKILL'))
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
      const recordings = await Promise.all(
        Array.from({ length: STREAMS }, async (_, n) => {
          const res = await fetch(`${server.url}/api/v1/recordings/start`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ sessionId: crypto.randomUUID() }),
          })
          const { id } = (await res.json()) as { id: string }
          return { id, bytes: mediaBytes(SIZE, n) }
        }),
      )
      const sockets = recordings.map(
        (r) => new TestSocket(`${server.wsUrl}/api/v1/recordings/${r.id}/stream?token=${token}`),
      )
      await Promise.all(sockets.map((s) => s.ofType('ready')))
      const pumping = sockets.map((s, i) =>
        pump(s, recordings[i]?.bytes ?? new Uint8Array(), 0, { pauseMs: 5 }),
      )
      await Promise.all(sockets.map((s) => s.ackedAtLeast(512 * 1024)))

      const started = performance.now()
      const code = await server.stop(signal)
      const seconds = (performance.now() - started) / 1000
      const closes = await Promise.all(sockets.map((s) => s.closed))
      await Promise.all(pumping)
      console.log(
        `graceful ${signal}: exit ${code} after ${seconds.toFixed(2)} s; acked per stream ${sockets.map((s) => s.lastAck()).join(', ')} of ${SIZE}`,
      )
      expect(code).toBe(0)
      expect(seconds).toBeLessThan(10)
      expect(closes.map((c) => c.code)).toEqual(sockets.map(() => 1001))
      // In flight for real: no stream had finished sending.
      for (const s of sockets) expect(s.lastAck()).toBeLessThan(SIZE)
      expect(server.lines.join('\n')).not.toContain('longer than 10 s')

      server = await startChildServer(env)
      for (const [i, r] of recordings.entries()) {
        const status = await fetch(`${server.url}/api/v1/recordings/${r.id}`, { headers: auth })
        expect(((await status.json()) as { status: string }).status).toBe('recording')
        const url = `${server.wsUrl}/api/v1/recordings/${r.id}/stream?token=${token}`
        const acked = sockets[i]?.lastAck() ?? 0
        const done = await resumeAndFinish(url, r.bytes, acked)
        // The last ack before 1001 covered every byte stored: what was queued was stored, then acked.
        expect(done.offset).toBe(acked)
        expect(done.completed.recording).toMatchObject({ status: 'completed', sizeBytes: SIZE })
        const content = await fetch(`${server.url}/api/v1/recordings/${r.id}/content`, { headers: auth })
        expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), r.bytes)).toBe(0)
      }
    }, 90_000)
  }
})
