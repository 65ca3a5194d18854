import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE } from '#test-support/integration-env.js'
import { serviceS3Env, startTestS3 } from '#test-support/s3-server.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { mediaBytes, pump, resumeAndFinish } from './support/streamer.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const SIZE = 12 * 1024 * 1024
const s3 = POSTGRES_UNAVAILABLE === null ? await startTestS3() : null
const why =
  POSTGRES_UNAVAILABLE ?? (s3?.kill && s3.restart ? null : `${s3?.kind} cannot be stopped by the test`)

describe.skipIf(why !== null)(`fault: the S3 server stops mid-stream (${s3?.kind ?? why})`, () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    await s3?.dispose()
  })

  it('closes 1011, acks nothing the bucket does not hold, and resumes once the server is back', async () => {
    if (!s3?.kill || !s3.restart) return
    const dataDir = await mkdtemp(join(tmpdir(), 'rec-s3-down-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const db = await freshPostgresDatabase()
    cleanups.push(db.drop)
    const server: ChildServer = await startChildServer({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      ...serviceS3Env(s3, await s3.newBucket()),
    })
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
    const bytes = mediaBytes(SIZE, 11)
    const url = `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`

    const socket = new TestSocket(url)
    await socket.ofType('ready')
    const pumping = pump(socket, bytes, 0, { pauseMs: 5 })
    await socket.ackedAtLeast(6 * 1024 * 1024)
    await s3.kill()
    const closed = await socket.closed
    await pumping
    const head = await fetch(`${api}/recordings/${id}/content`, { method: 'HEAD', headers: auth })
    const stored = Number(head.headers.get('upload-offset'))
    const ready = await fetch(`${server.url}/health/ready`)
    console.log(
      `S3 down mid-stream: closed ${closed.code} (${socket.messages.find((m) => m.type === 'error')?.code}); ` +
        `last ack ${socket.lastAck()}, recorded in the bucket ${stored}; ready ${ready.status}`,
    )
    expect(closed.code).toBe(1011)
    expect(socket.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'STORAGE_WRITE_FAILED' })
    expect(socket.lastAck()).toBeLessThanOrEqual(stored)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({ checks: { storage: 'failing' } })

    await s3.restart()
    // What the record says is stored really is in the bucket: the resumed recording is byte-identical.
    const done = await resumeAndFinish(url, bytes, socket.lastAck())
    expect(done.offset).toBe(stored)
    expect(done.completed.recording).toMatchObject({ status: 'completed', sizeBytes: SIZE })
    const content = await fetch(`${api}/recordings/${id}/content`, { headers: auth })
    expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), bytes)).toBe(0)
  }, 120_000)
})
