import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { OwnPostgres } from './support/own-postgres.js'
import { mediaBytes, pump, resumeAndFinish } from './support/streamer.js'
import { signToken } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const why = OwnPostgres.unavailable()
const SIZE = 16 * 1024 * 1024
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Outcome {
  readonly phase: 'before' | 'down' | 'after'
  readonly status: number
  readonly code: string | null
  readonly ms: number
}

describe.skipIf(why !== null)(
  `fault: PostgreSQL restarted under load${why ? ` (skipped: ${why})` : ''}`,
  () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    it('answers 503 DEPENDENCY_UNAVAILABLE promptly while it is down, recovers without a restart, loses no acked byte', async () => {
      const postgres = await OwnPostgres.create()
      cleanups.push(() => postgres.destroy())
      const dataDir = await mkdtemp(join(tmpdir(), 'rec-pgfault-'))
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
      const server: ChildServer = await startChildServer({ DATA_DIR: dataDir, DATABASE_URL: postgres.url })
      cleanups.push(() => server.stop('SIGKILL'))
      const token = await signToken(crypto.randomUUID())
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
      const api = `${server.url}/api/v1`

      const recordings = await Promise.all(
        [0, 1].map(async (n) => {
          const res = await fetch(`${api}/recordings/start`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ sessionId: crypto.randomUUID() }),
          })
          return { id: ((await res.json()) as { id: string }).id, bytes: mediaBytes(SIZE, n) }
        }),
      )
      const streamUrl = (id: string) => `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`
      const sockets = recordings.map((r) => new TestSocket(streamUrl(r.id)))
      await Promise.all(sockets.map((s) => s.ofType('ready')))
      const pumping = sockets.map((s, i) =>
        pump(s, recordings[i]?.bytes ?? new Uint8Array(), 0, { pauseMs: 5 }),
      )

      // REST load all along: lists and starts, each with a client-side limit far above any server bound.
      let phase: Outcome['phase'] = 'before'
      let loading = true
      const outcomes: Outcome[] = []
      const load = (async () => {
        for (let n = 0; loading; n++) {
          const started = performance.now()
          const init =
            n % 2 === 0
              ? { headers: auth }
              : { method: 'POST', headers: auth, body: JSON.stringify({ sessionId: crypto.randomUUID() }) }
          const at = phase
          const res = await fetch(`${api}/recordings${n % 2 === 0 ? '?limit=5' : '/start'}`, {
            ...init,
            signal: AbortSignal.timeout(30_000),
          })
          const body = (await res.json()) as { code?: string }
          outcomes.push({
            phase: at,
            status: res.status,
            code: body.code ?? null,
            ms: performance.now() - started,
          })
          await sleep(25)
        }
      })()
      await Promise.all(sockets.map((s) => s.ackedAtLeast(256 * 1024)))

      phase = 'down'
      postgres.stop('fast')
      const closes = await Promise.all(sockets.map((s) => s.closed))
      const ready = await fetch(`${server.url}/health/ready`)
      expect(ready.status).toBe(503)
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.postgres).toBe('failing')
      await sleep(1500)
      postgres.start()
      phase = 'after'
      const recoveredAt = performance.now()
      let recovered = false
      while (!recovered && performance.now() - recoveredAt < 60_000) {
        recovered = (await fetch(`${api}/recordings?limit=1`, { headers: auth })).status === 200
        if (!recovered) await sleep(100)
      }
      const recoverySeconds = (performance.now() - recoveredAt) / 1000
      await sleep(300)
      loading = false
      await load
      await Promise.all(pumping)

      const down = outcomes.filter((o) => o.phase === 'down')
      console.log(
        `postgres restart: ${outcomes.length} requests (${down.length} while down: ` +
          `${down.filter((o) => o.status === 503).length} × 503, slowest ${Math.max(0, ...down.map((o) => o.ms)).toFixed(0)} ms); ` +
          `streams closed ${closes.map((c) => c.code).join(', ')} at acks ${sockets.map((s) => s.lastAck()).join(', ')}; ` +
          `recovered ${recoverySeconds.toFixed(2)} s after the restart`,
      )
      expect(recovered).toBe(true)
      expect(down.length).toBeGreaterThan(0)
      for (const o of outcomes) {
        // Never a 500, never a hang: only successes and prompt 503 DEPENDENCY_UNAVAILABLE.
        expect(o.ms).toBeLessThan(6_000)
        if (o.status >= 500) expect(o).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' })
      }
      expect(down.some((o) => o.status === 503)).toBe(true)
      expect(outcomes.filter((o) => o.phase === 'after').at(-1)?.status).toBeLessThan(300)
      for (const [i, s] of sockets.entries()) {
        expect(closes[i]?.code).toBe(1013)
        expect(s.messages.find((m) => m.type === 'error')?.code).toBe('DEPENDENCY_UNAVAILABLE')
      }

      for (const [i, r] of recordings.entries()) {
        const done = await resumeAndFinish(streamUrl(r.id), r.bytes, sockets[i]?.lastAck() ?? 0)
        expect(done.completed.recording).toMatchObject({ status: 'completed', sizeBytes: SIZE })
        const content = await fetch(`${api}/recordings/${r.id}/content`, { headers: auth })
        expect(Buffer.compare(new Uint8Array(await content.arrayBuffer()), r.bytes)).toBe(0)
      }
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200)
    }, 180_000)
  },
)
