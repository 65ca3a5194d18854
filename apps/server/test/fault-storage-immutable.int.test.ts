import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { immutableUnsupported, setImmutable } from './support/immutable.js'
import { mediaBytes, pump, resumeAndFinish } from './support/streamer.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const why = immutableUnsupported()
const SIZE = 8 * 1024 * 1024

describe.skipIf(why !== null)(
  `fault: the media directory refuses writes mid-stream${why ? ` (skipped: ${why})` : ''}`,
  () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    it('sends an error frame, reports only what is on disk, and resumes once writable again', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'rec-storage-'))
      const media = join(dataDir, 'media')
      cleanups.push(async () => {
        execFileSync('chattr', ['-R', '-i', dataDir], { stdio: 'ignore' })
        await rm(dataDir, { recursive: true, force: true })
      })
      const env: Record<string, string> = { DATA_DIR: dataDir }
      if (process.env.TEST_DATABASE_URL) {
        const db = await freshPostgresDatabase()
        cleanups.push(db.drop)
        env.DATABASE_URL = db.url
      }
      const server: ChildServer = await startChildServer(env)
      cleanups.push(() => server.stop('SIGKILL'))
      const token = await signToken(crypto.randomUUID())
      const auth = { authorization: `Bearer ${token}` }
      const api = `${server.url}/api/v1`
      const res = await fetch(`${api}/recordings/start`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: crypto.randomUUID() }),
      })
      const { id } = (await res.json()) as { id: string }
      const bytes = mediaBytes(SIZE, 7)
      const url = `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`
      const part = join(media, `${id}.part`)

      const socket = new TestSocket(url)
      await socket.ofType('ready')
      const pumping = pump(socket, bytes, 0, { pauseMs: 5 })
      await socket.ackedAtLeast(256 * 1024)
      setImmutable([media, part], true)
      const closed = await socket.closed
      await pumping
      const onDisk = (await stat(part)).size
      const head = await fetch(`${api}/recordings/${id}/content`, { method: 'HEAD', headers: auth })
      const uploadOffset = Number(head.headers.get('upload-offset'))
      const ready = await fetch(`${server.url}/health/ready`)
      const patch = await fetch(`${api}/recordings/${id}/content`, {
        method: 'PATCH',
        headers: {
          ...auth,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(onDisk),
        },
        body: bytes.subarray(onDisk, onDisk + 1000),
      })
      const patchBody = await patch.text()
      console.log(
        `storage immutable: stream closed ${closed.code} (${socket.messages.find((m) => m.type === 'error')?.code}); ` +
          `last ack ${socket.lastAck()}, Upload-Offset ${uploadOffset}, on disk ${onDisk}; PATCH ${patch.status}; ready ${ready.status}`,
      )
      expect(closed.code).toBe(1011)
      expect(socket.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'STORAGE_WRITE_FAILED' })
      // Nothing is reported stored that is not: acks and offsets never run past the bytes on disk.
      expect(socket.lastAck()).toBeLessThanOrEqual(onDisk)
      expect(uploadOffset).toBe(onDisk)
      expect(ready.status).toBe(503)
      expect(await ready.json()).toMatchObject({ checks: { storage: 'failing' } })
      expect(patch.status).toBe(507)
      expect(JSON.parse(patchBody)).toMatchObject({ code: 'STORAGE_WRITE_FAILED' })
      expect(patchBody).not.toContain(dataDir)
      expect((await stat(part)).size).toBe(onDisk)
      expect(
        ((await (await fetch(`${api}/recordings/${id}`, { headers: auth })).json()) as { status: string })
          .status,
      ).toBe('recording')

      setImmutable([media, part], false)
      const done = await resumeAndFinish(url, bytes, socket.lastAck())
      expect(done.offset).toBe(onDisk)
      expect(done.completed.recording).toMatchObject({ status: 'completed', sizeBytes: SIZE })
      const content = await fetch(`${api}/recordings/${id}/content`, { headers: auth })
      expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), bytes)).toBe(0)
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200)
    }, 180_000)
  },
)
