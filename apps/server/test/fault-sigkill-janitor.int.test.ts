import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { mediaBytes, pump, resumeAndFinish } from './support/streamer.js'
import { serverData } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const SIZE = 16 * 1024 * 1024
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('fault: SIGKILL under load, then restart', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('resumes the streams that come back; the janitor ends the abandoned ones and removes orphan files', async () => {
    const data = await serverData('rec-kill-', process.env.TEST_DATABASE_URL !== undefined)
    cleanups.push(() => data.dispose())
    const { dataDir } = data
    // Streaming, the kill and the resume run with an idle timeout no restart on a loaded machine
    // can reach, so the janitor cannot end a recording its client is about to resume. The janitor
    // phase then restarts the service with a 1 s timeout (a sweep every 250 ms) and waits on the
    // recordings' own status, not on a fixed window.
    const env: Record<string, string> = { ...data.env, IDLE_TIMEOUT_S: '600' }
    let server: ChildServer = await startChildServer(env)
    cleanups.push(() => server.stop('SIGKILL'))
    const token = await signToken(crypto.randomUUID())
    const auth = { authorization: `Bearer ${token}` }
    const api = () => `${server.url}/api/v1`
    const streamUrl = (id: string) => `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`
    const recordings = await Promise.all(
      [0, 1, 2, 3].map(async (n) => {
        const res = await fetch(`${api()}/recordings/start`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ sessionId: crypto.randomUUID() }),
        })
        return { id: ((await res.json()) as { id: string }).id, bytes: mediaBytes(SIZE, n) }
      }),
    )
    // Written by nobody the database knows: what a deleted recording or a lost race leaves behind.
    const orphan = join(dataDir, 'media', `${crypto.randomUUID()}.part`)
    await mkdir(join(dataDir, 'media'), { recursive: true })
    await writeFile(orphan, 'stray bytes')

    const sockets = recordings.map((r) => new TestSocket(streamUrl(r.id)))
    await Promise.all(sockets.map((s) => s.ofType('ready')))
    const pumping = sockets.map((s, i) =>
      pump(s, recordings[i]?.bytes ?? new Uint8Array(), 0, { pauseMs: 2 }),
    )
    await Promise.all(sockets.map((s) => s.ackedAtLeast(512 * 1024)))
    expect(await server.stop('SIGKILL')).toBeNull()
    await Promise.all(pumping)
    const acked = sockets.map((s) => s.lastAck())

    server = await startChildServer(env)
    // Two clients come back at once and finish; two never return.
    for (const i of [0, 1]) {
      const r = recordings[i]
      if (!r) continue
      const done = await resumeAndFinish(streamUrl(r.id), r.bytes, acked[i] ?? 0)
      expect(done.completed.recording).toMatchObject({ status: 'completed', sizeBytes: SIZE })
      const content = await fetch(`${api()}/recordings/${r.id}/content`, { headers: auth })
      expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), r.bytes)).toBe(0)
    }
    expect(await server.stop('SIGTERM')).toBe(0)
    server = await startChildServer({ ...env, IDLE_TIMEOUT_S: '1' })
    const abandoned = recordings.slice(2)
    const deadline = Date.now() + 60_000
    let statuses: { status: string; stopReason: string; sizeBytes: number }[] = []
    do {
      await sleep(250)
      statuses = await Promise.all(
        abandoned.map(
          async (r) =>
            (await (await fetch(`${api()}/recordings/${r.id}`, { headers: auth })).json()) as never,
        ),
      )
    } while (Date.now() < deadline && statuses.some((s) => s.status !== 'completed'))
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    console.log(
      `sigkill: acked ${acked.join(', ')}; abandoned ended as ${statuses.map((s) => `${s.status}/${s.stopReason}/${s.sizeBytes}`).join(', ')}; ` +
        `${metrics.match(/^janitor_runs_total.*$/gm)?.join('; ')}`,
    )
    for (const [n, s] of statuses.entries()) {
      const r = abandoned[n]
      if (!r) continue
      expect(s).toMatchObject({ status: 'completed', stopReason: 'idle_timeout' })
      expect(s.sizeBytes).toBeGreaterThanOrEqual(acked[n + 2] ?? 0)
      // What was kept is exactly the prefix the client sent: no byte lost, none invented.
      const content = await fetch(`${api()}/recordings/${r.id}/content`, { headers: auth })
      const kept = new Uint8Array(await content.arrayBuffer())
      expect(kept.byteLength).toBe(s.sizeBytes)
      expect(Buffer.compare(kept, r.bytes.subarray(0, s.sizeBytes))).toBe(0)
    }
    await expect(stat(orphan)).rejects.toMatchObject({ code: 'ENOENT' })
    expect((await readdir(join(dataDir, 'media'))).filter((f) => f.endsWith('.part'))).toEqual([])
    expect(Number(metrics.match(/^janitor_runs_total\{outcome="done"\} (\d+)/m)?.[1])).toBeGreaterThan(0)
  }, 180_000)
})
