import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { sendAll, takeOver } from './support/takeover-scenario.js'
import { TakeoverTranscript } from './support/takeover-transcript.js'
import { freshPostgresDatabase } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { until } from './support/until.js'
import { TestSocket } from './support/ws-client.js'

// Two processes with the file-system store on one shared media directory (TOPOLOGY=shared, an
// NFS/EFS volume in production), sharing PostgreSQL and Redis: the takeover of SPEC §6.5 across
// instances, signalled over Redis before the new stream takes the writer lease.
const why = POSTGRES_UNAVAILABLE ?? REDIS_UNAVAILABLE
const MiB = 1024 * 1024

describe.skipIf(why !== null)(
  `takeover across instances on a shared volume${why ? ` (skipped: ${why})` : ''}`,
  () => {
    let a: ChildServer
    let b: ChildServer
    const cleanups: (() => Promise<unknown>)[] = []
    beforeAll(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'rec-takeover-'))
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
      const database = await freshPostgresDatabase()
      cleanups.push(database.drop)
      const env = {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        REDIS_URL: await redisServerUrl(),
        TOPOLOGY: 'shared',
        BLOB_STORE: 'fs',
      }
      a = await startChildServer(env)
      cleanups.push(() => a.stop('SIGKILL'))
      b = await startChildServer(env)
      cleanups.push(() => b.stop('SIGKILL'))
    }, 120_000)
    afterAll(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function user() {
      const token = await signToken(crypto.randomUUID())
      const auth = { authorization: `Bearer ${token}` }
      return {
        async start(server: ChildServer): Promise<string> {
          const res = await fetch(`${server.url}/api/v1/recordings/start`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ sessionId: crypto.randomUUID() }),
          })
          expect(res.status).toBe(201)
          return ((await res.json()) as { id: string }).id
        },
        stream: (server: ChildServer, id: string) =>
          new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`),
        content: async (server: ChildServer, id: string) =>
          new Uint8Array(
            await (
              await fetch(`${server.url}/api/v1/recordings/${id}/content`, { headers: auth })
            ).arrayBuffer(),
          ),
      }
    }
    const media = (size: number, seed: number): Uint8Array =>
      new Uint8Array(size).map((_, i) => (i * 131 + (i >> 9) + seed) & 0xff)

    it('closes A with 4000 once its queued frames are stored; B’s ready covers all of them; nothing lost or doubled', async () => {
      const u = await user()
      const id = await u.start(a)
      const bytes = media(12 * MiB + 321, 1)
      const transcript = new TakeoverTranscript()
      const out = await takeOver({ user: u, id, a, b, reader: a, bytes, transcript })
      transcript.addServerLog('server A', a, id)
      transcript.addServerLog('server B', b, id)
      const text = await transcript.save(
        'takeover-transcript.txt',
        'takeover across instances: fs store on a shared volume (TOPOLOGY=shared)',
      )
      console.log(text)
      // A was told by its own instance, after storing what it had queued, not refused by the fence.
      expect(out.closeA.code).toBe(4000)
      expect(out.errorA).toBeUndefined()
      // Every byte A acked, its last ack included (the queue stored during the handoff), is below ready.
      expect(out.ackedByA).toBeGreaterThanOrEqual(out.ackedBeforeB)
      expect(out.ready).toBe(out.ackedByA)
      expect(a.lines.some((l) => l.includes(id) && l.includes('stream stored and closed 4000'))).toBe(true)
      expect(b.lines.some((l) => l.includes(id) && l.includes('writer handoff asked: released'))).toBe(true)
      expect(out.completed.recording).toMatchObject({ status: 'completed', sizeBytes: bytes.byteLength })
      expect(Buffer.compare(out.content, bytes)).toBe(0)
    }, 120_000)

    it('answers at once when no other instance streams the recording', async () => {
      const u = await user()
      const id = await u.start(a)
      const first = u.stream(b, id)
      await first.ofType('ready')
      const asked = await until(
        async () => b.lines.find((l) => l.includes(id) && l.includes('writer handoff asked')) ?? null,
        10_000,
      )
      expect(JSON.parse(asked)).toMatchObject({ outcome: 'none' })
      expect((JSON.parse(asked) as { waitedMs: number }).waitedMs).toBeLessThan(2_000)
      first.close()
      await first.closed
    }, 60_000)

    it('does not hang when A was SIGKILLed mid-stream: B takes over at once and resumes from what A stored', async () => {
      const u = await user()
      const id = await u.start(a)
      const bytes = media(6 * MiB + 5, 3)
      const first = u.stream(a, id)
      await first.ofType('ready')
      await sendAll(first, bytes.subarray(0, 4 * MiB))
      await first.ackedAtLeast(2 * MiB)
      const acked = first.lastAck()
      await a.stop('SIGKILL')
      await first.closed
      const started = Date.now()
      const second = u.stream(b, id)
      const ready = (await second.ofType('ready')).offset ?? -1
      const waited = Date.now() - started
      expect(ready).toBeGreaterThanOrEqual(acked)
      // A's subscriber died with it: PUBLISH counted no one to wait for (the bound is 5 s).
      const asked = await until(
        async () => b.lines.find((l) => l.includes(id) && l.includes('writer handoff asked')) ?? null,
        10_000,
      )
      expect(JSON.parse(asked)).toMatchObject({ outcome: 'none' })
      expect(waited).toBeLessThan(5_000)
      await sendAll(second, bytes.subarray(ready))
      await second.send(JSON.stringify({ type: 'stop' }))
      expect((await second.ofType('completed')).recording).toMatchObject({ sizeBytes: bytes.byteLength })
      expect(Buffer.compare(await u.content(b, id), bytes)).toBe(0)
    }, 120_000)
  },
)
