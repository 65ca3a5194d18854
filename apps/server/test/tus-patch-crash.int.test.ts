import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { serverData, unavailable } from './support/test-database.js'
import { signToken } from './support/test-server.js'

const why = unavailable('postgres')
const MiB = 1024 * 1024
const TUS = { 'tus-resumable': '1.0.0' }

/**
 * tus PATCHes save progress behind the answer and keep the row between requests; a large body is
 * read on while the MiB before it is written. None of that may cost an acknowledged byte, the
 * offset a resuming client is told, an honest Upload-Expires or the checksum.
 */
describe('a SIGKILL between tus PATCHes', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it.skipIf(why !== null)(
    `HEAD tells every acknowledged byte, the upload resumes and completes with the right checksum${why ? ` (skipped: ${why})` : ''}`,
    async () => {
      const data = await serverData('rec-tus-crash-', true)
      cleanups.push(() => data.dispose())
      const token = await signToken(crypto.randomUUID())
      const auth = { authorization: `Bearer ${token}` }
      let server: ChildServer = await startChildServer(data.env)
      cleanups.push(() => server.stop('SIGKILL'))
      const bytes = new Uint8Array(40 * MiB).map((_, i) => (i * 31 + (i >> 12)) & 0xff)

      const created = await fetch(`${server.url}/api/v1/uploads`, {
        method: 'POST',
        headers: {
          ...auth,
          ...TUS,
          'upload-length': String(bytes.byteLength),
          'upload-metadata': `sessionId ${Buffer.from(crypto.randomUUID()).toString('base64')}`,
        },
      })
      expect(created.status).toBe(201)
      const path = new URL(created.headers.get('location') ?? '', server.url).pathname
      const patch = (s: ChildServer, offset: number, chunk: Uint8Array) =>
        fetch(`${s.url}${path}`, {
          method: 'PATCH',
          headers: {
            ...auth,
            ...TUS,
            'content-type': 'application/offset+octet-stream',
            'upload-offset': String(offset),
          },
          body: chunk,
        })

      // Small PATCHes (progress saved behind them), then one of 24 MiB (write-back behind it).
      let acked = 0
      for (const size of [256 * 1024, 256 * 1024, 512 * 1024, 24 * MiB - MiB, MiB]) {
        const started = Date.now()
        const res = await patch(server, acked, bytes.subarray(acked, acked + size))
        expect(res.status).toBe(204)
        acked += size
        expect(Number(res.headers.get('upload-offset'))).toBe(acked)
        // Upload-Expires comes from the saved activity: never later than now plus the idle timeout.
        const expires = Date.parse(res.headers.get('upload-expires') ?? '')
        expect(expires).toBeLessThanOrEqual(Date.now() + 300_000 + 1000)
        expect(expires).toBeGreaterThan(started)
      }
      // One more PATCH in flight when the process dies.
      void patch(server, acked, bytes.subarray(acked, acked + 8 * MiB)).catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, 30))
      await server.stop('SIGKILL')

      server = await startChildServer(data.env)
      const head = await fetch(`${server.url}${path}`, { method: 'HEAD', headers: { ...auth, ...TUS } })
      expect(head.status).toBe(200)
      const offset = Number(head.headers.get('upload-offset'))
      expect(offset).toBeGreaterThanOrEqual(acked)
      expect(offset).toBeLessThanOrEqual(acked + 8 * MiB)
      expect(Date.parse(head.headers.get('upload-expires') ?? '')).toBeGreaterThan(Date.now())

      const last = await patch(server, offset, bytes.subarray(offset))
      expect(last.status).toBe(204)
      expect(Number(last.headers.get('upload-offset'))).toBe(bytes.byteLength)
      const recording = (await (
        await fetch(`${server.url}${path.replace(/\/content$/, '')}`, { headers: auth })
      ).json()) as { status: string; sizeBytes: number; checksum: string }
      expect(recording).toMatchObject({
        status: 'completed',
        sizeBytes: bytes.byteLength,
        checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      })
    },
    120_000,
  )
})
