import { afterEach, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { serverData, unavailable } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const why = unavailable('postgres')

describe('a SIGKILL mid-stream loses no acked byte', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  for (const backend of ['postgres', 'pglite'] as const) {
    const skip = backend === 'postgres' ? why : null
    it.skipIf(skip !== null)(
      `on ${backend}${skip ? ` (skipped: ${skip})` : ''}`,
      async () => {
        const data = await serverData('rec-crash-', backend === 'postgres')
        cleanups.push(() => data.dispose())
        const env = data.env
        const user = crypto.randomUUID()
        const token = await signToken(user)
        let server: ChildServer = await startChildServer(env)
        cleanups.push(() => server.stop('SIGKILL'))

        const res = await fetch(`${server.url}/api/v1/recordings/start`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ sessionId: crypto.randomUUID() }),
        })
        const { id } = (await res.json()) as { id: string }
        const bytes = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 31 + (i >> 10)) & 0xff)
        const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
        await socket.ofType('ready')
        let sent = 0
        for (; sent < bytes.byteLength / 2; sent += 64 * 1024)
          void socket.send(bytes.subarray(sent, sent + 64 * 1024))
        await socket.ackedAtLeast(1024 * 1024)
        // Keep sending while the process dies under it.
        for (; sent < bytes.byteLength; sent += 64 * 1024)
          void socket.send(bytes.subarray(sent, sent + 64 * 1024)).catch(() => {})
        const killed = server.stop('SIGKILL')
        await killed
        await socket.closed
        const acked = socket.lastAck()
        expect(acked).toBeGreaterThanOrEqual(1024 * 1024)

        server = await startChildServer(env)
        const resumed = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
        const ready = await resumed.ofType('ready')
        expect(ready.offset).toBeGreaterThanOrEqual(acked)
        for (let at = ready.offset ?? 0; at < bytes.byteLength; at += 64 * 1024) {
          await resumed.send(bytes.subarray(at, Math.min(at + 64 * 1024, bytes.byteLength)))
        }
        await resumed.send(JSON.stringify({ type: 'stop' }))
        const completed = await resumed.ofType('completed')
        expect(completed.recording).toMatchObject({ status: 'completed', sizeBytes: bytes.byteLength })
        const content = await fetch(`${server.url}/api/v1/recordings/${id}/content`, {
          headers: { authorization: `Bearer ${token}` },
        })
        expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), bytes)).toBe(0)
      },
      120_000,
    )
  }
})
