import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { immutableUnsupported, setImmutable } from './support/immutable.js'
import { rest } from './support/rest.js'
import { mediaBytes } from './support/streamer.js'
import { unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { until } from './support/until.js'

// SPEC §8: what a recording is after a stop the storage refused. The stop answers 507 and the
// recording is back to `recording` (resumable: HEAD reports its offset, a retried stop completes
// it); only a crash or a database outage in the middle of a stop leaves `stopping`, which the
// janitor finishes.
const why = immutableUnsupported()
const backend = unavailable('postgres') === null ? 'postgres' : 'pglite'

/** This suite's bound for waiting on the service (the shared poller in ./support/until.ts). */
const waitFor = <T>(probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> => until(probe, timeoutMs)

describe.skipIf(why !== null)(
  `fault: a stop while storage refuses writes${why ? ` (skipped: ${why})` : ''}`,
  () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })
    async function setUp(env: Record<string, string> = {}): Promise<TestServer> {
      const server = await startTestServer(backend, env)
      cleanups.push(() => server.dispose())
      cleanups.push(async () => execFileSync('chattr', ['-R', '-i', server.dataDir], { stdio: 'ignore' }))
      return server
    }

    it('answers 507 and leaves the recording `recording`; a retried stop completes it', async () => {
      const server = await setUp()
      const api = rest(server, await server.token(crypto.randomUUID()))
      const { id } = await api.start()
      const bytes = mediaBytes(300_000, 3)
      const patch = await api.call('PATCH', `/recordings/${id}/content`, {
        headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
        body: bytes,
      })
      expect(patch.status).toBe(204)
      const media = join(server.dataDir, 'media')
      const locked = [media, join(media, `${id}.part`)]
      setImmutable(locked, true)

      const failed = await api.stop(id)
      expect(failed.status).toBe(507)
      expect(await failed.json()).toMatchObject({ code: 'STORAGE_WRITE_FAILED' })
      expect(await api.get(id)).toMatchObject({ status: 'recording', stopReason: null, stoppedAt: null })
      const head = await api.call('HEAD', `/recordings/${id}/content`)
      expect(head.status).toBe(200)
      expect(head.headers.get('upload-offset')).toBe(String(bytes.byteLength))

      setImmutable(locked, false)
      const retried = await api.stop(id)
      expect(retried.status).toBe(200)
      expect(await retried.json()).toMatchObject({
        status: 'completed',
        stopReason: 'client',
        sizeBytes: bytes.byteLength,
      })
      expect(Buffer.compare(await api.content(id), bytes)).toBe(0)
    }, 60_000)

    it.skipIf(backend !== 'postgres')(
      'the janitor completes a recording a crash left `stopping`',
      async () => {
        // A 4 s idle timeout makes the janitor sweep every second.
        const server = await setUp({ IDLE_TIMEOUT_S: '4' })
        const api = rest(server, await server.token(crypto.randomUUID()))
        const { id } = await api.start()
        const bytes = mediaBytes(100_000, 4)
        await api.call('PATCH', `/recordings/${id}/content`, {
          headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
          body: bytes,
        })
        // What a crash between the two saves of a stop leaves: `stopping`, the media still unfinished.
        const db = new pg.Client({ connectionString: server.databaseUrl ?? '' })
        await db.connect()
        cleanups.push(() => db.end())
        await db.query(
          `update recordings set status = 'stopping', stop_reason = 'client', size_bytes = $2,
           stopped_at = now() - interval '5 minutes', updated_at = now() - interval '5 minutes'
         where id = $1`,
          [id, bytes.byteLength],
        )
        const done = await waitFor(async () => {
          const recording = await api.get(id)
          return recording.status === 'stopping' ? null : recording
        })
        expect(done).toMatchObject({ status: 'completed', stopReason: 'client', sizeBytes: bytes.byteLength })
        expect(Buffer.compare(await api.content(id), bytes)).toBe(0)
      },
      90_000,
    )
  },
)
