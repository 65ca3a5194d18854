import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { type ChildServer, startChildServer } from '../../../apps/server/test/support/child-server.js'
import { serverData, unavailable } from '../../../apps/server/test/support/test-database.js'
import { signToken } from '../../../apps/server/test/support/test-server.js'
import { createClient } from '../src/index.js'

const why = unavailable('postgres')
const MiB = 1024 * 1024

/** Deterministic bytes, so a lost or repeated chunk changes the checksum. */
const media = (size: number) => new Uint8Array(size).map((_, i) => (i * 131 + (i >> 12)) & 0xff)

describe('record() from an async iterable survives a SIGKILL of the server', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it.skipIf(why !== null)(
    `restarted on the same port, stop() resolves with the whole file's checksum${why ? ` (skipped: ${why})` : ''}`,
    async () => {
      const data = await serverData('rec-sdk-kill-', true)
      cleanups.push(() => data.dispose())
      let server: ChildServer = await startChildServer(data.env)
      cleanups.push(() => server.stop('SIGKILL'))
      const port = new URL(server.url).port
      const user = crypto.randomUUID()
      const client = createClient({
        baseUrl: server.url,
        getToken: () => signToken(user),
        WebSocket: WebSocket as never,
      })
      const bytes = media(6 * MiB)
      let releaseRest: () => void = () => {}
      const rest = new Promise<void>((resolve) => (releaseRest = resolve))
      async function* source() {
        for (let at = 0; at < bytes.byteLength; at += 64 * 1024) {
          if (at === 3 * MiB) await rest // the second half is produced while the server is down
          yield bytes.subarray(at, at + 64 * 1024)
        }
      }
      const session = client.record(source(), {
        sessionId: crypto.randomUUID(),
        backoff: { initialMs: 100, maxMs: 1000 },
      })
      const reconnects: number[] = []
      session.on('reconnecting', ({ attempt }) => reconnects.push(attempt))
      const acked = new Promise<void>((resolve) =>
        session.on('progress', ({ ackedBytes }) => ackedBytes >= MiB && resolve()),
      )
      await acked
      await server.stop('SIGKILL')
      await expect.poll(() => reconnects.length).toBeGreaterThan(0)
      releaseRest()
      server = await startChildServer({ ...data.env, PORT: port })
      const recording = await session.stop()
      const sha = createHash('sha256').update(bytes).digest('hex')
      expect(recording).toMatchObject({
        status: 'completed',
        sizeBytes: bytes.byteLength,
        checksum: `sha256:${sha}`,
      })
      expect(session.state).toBe('completed')
      const stored = await fetch(`${server.url}/api/v1/recordings/${recording.id}/content`, {
        headers: { authorization: `Bearer ${await signToken(user)}` },
      })
      expect(
        createHash('sha256')
          .update(new Uint8Array(await stored.arrayBuffer()))
          .digest('hex'),
      ).toBe(sha)
    },
    120_000,
  )
})
