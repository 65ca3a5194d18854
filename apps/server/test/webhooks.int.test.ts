import { writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { BACKENDS, serverData, unavailable } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { type Received, startWebhookReceiver, WEBHOOK_TEST_SECRET } from './support/webhook-receiver.js'

const hookEnv = (url: string) => ({
  WEBHOOK_URL: url,
  WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
  WEBHOOK_RETRY_DELAY_S: '1',
  IDLE_TIMEOUT_S: '2',
})

async function client(server: () => ChildServer) {
  const token = await signToken(crypto.randomUUID())
  const call = (method: string, path: string, init: RequestInit = {}) =>
    fetch(`${server().url}/api/v1${path}`, {
      ...init,
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    })
  return {
    call,
    async start(): Promise<string> {
      const res = await call('POST', '/recordings/start', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: crypto.randomUUID() }),
      })
      expect(res.status).toBe(201)
      return ((await res.json()) as { id: string }).id
    },
    /** Starts, uploads a few bytes and stops: a completed recording. */
    async complete(): Promise<string> {
      const id = await this.start()
      const put = await call('PATCH', `/recordings/${id}/content`, {
        headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
        body: new Uint8Array(1000).fill(7),
      })
      expect(put.status).toBe(204)
      expect((await call('POST', `/recordings/${id}/stop`)).status).toBe(200)
      return id
    },
  }
}

const delivered = (type: string, id?: string) => (received: readonly Received[]) =>
  received.some((r) => r.type === type && r.status === 204 && (id === undefined || r.body.data.id === id))

describe('webhooks', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function open(backend: 'postgres' | 'pglite', extra: Record<string, string> = {}) {
    const data = await serverData('rec-hooks-', backend === 'postgres')
    cleanups.push(() => data.dispose())
    return { ...data.env, ...extra }
  }

  describe.each(BACKENDS)('on %s', (backend) => {
    const skip = unavailable(backend)

    it.skipIf(skip !== null)(
      'signs every event, and retries a failing receiver with the same webhook-id and growing delays',
      async () => {
        // The first two attempts of each event fail; the third is accepted.
        const receiver = await startWebhookReceiver((_, nth) => (nth <= 2 ? 503 : 204))
        cleanups.push(() => receiver.close())
        const server = await startChildServer(await open(backend, hookEnv(receiver.url)))
        cleanups.push(() => server.stop('SIGKILL'))
        const api = await client(() => server)
        const id = await api.complete()
        await receiver.until(delivered('recording.completed', id))
        const attempts = receiver.received.filter((r) => r.type === 'recording.completed')
        expect(attempts.map((r) => r.status)).toEqual([503, 503, 204])
        expect(new Set(attempts.map((r) => r.webhookId)).size).toBe(1)
        expect(attempts.every((r) => r.verified)).toBe(true)
        const [first, second, third] = attempts.map((r) => r.at.getTime())
        // Backoff from 1 s: the first retry waits 1–2 s, the second 2–4 s.
        expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(900)
        expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(1_900)
        expect(attempts[2]?.body.data).toMatchObject({ id, status: 'completed', sizeBytes: 1000 })
        if (process.env.WEBHOOK_TRANSCRIPT) {
          const lines = attempts.map(
            (r, i) => `${r.at.toISOString()} attempt ${i + 1} webhook-id=${r.webhookId} status=${r.status}`,
          )
          await writeFile(`${process.env.WEBHOOK_TRANSCRIPT}.${backend}`, `${lines.join('\n')}\n`)
        }

        expect((await api.call('DELETE', `/recordings/${id}`)).status).toBe(204)
        await receiver.until(delivered('recording.deleted', id))
        // Nothing arrives: the janitor fails it after the 2 s idle timeout.
        const empty = await api.start()
        await receiver.until(delivered('recording.failed', empty))
        const failed = receiver.received.find((r) => r.type === 'recording.failed')
        expect(failed?.body.data).toMatchObject({ id: empty, status: 'failed' })
        expect(receiver.received.every((r) => r.verified)).toBe(true)

        const metrics = await (await fetch(`${server.url}/metrics`)).text()
        expect(metrics).toMatch(/webhook_deliveries_total\{outcome="delivered"\} [1-9]/)
        expect(metrics).toMatch(/webhook_deliveries_total\{outcome="failed"\} [1-9]/)
        expect(metrics).toMatch(/jobs\{queue="webhook-delivery",state="queued"\} \d/)
        expect(metrics).toMatch(/jobs_oldest_age_seconds\{queue="webhook-delivery"\} /)
      },
      120_000,
    )

    it.skipIf(skip !== null)(
      'delivers after a SIGKILL that came between the change and the delivery',
      async () => {
        // Learn a free port, then leave nobody listening on it: the receiver is down.
        const probe = await startWebhookReceiver()
        const port = probe.port
        await probe.close()
        const env = await open(backend, hookEnv(`http://127.0.0.1:${port}/hooks`))
        let server = await startChildServer(env)
        cleanups.push(() => server.stop('SIGKILL'))
        const api = await client(() => server)
        const id = await api.complete()
        await until(() => server.lines.some((l) => l.includes('webhook attempt')))
        // The refused attempt is recorded (the job waits for its retry, none running): kill now.
        await untilAsync(async () => {
          const metrics = await (await fetch(`${server.url}/metrics`)).text()
          // recording.completed and, once the media job ran, recording.media_ready wait; none runs.
          return (
            /jobs\{queue="webhook-delivery",state="queued"\} [1-9]/.test(metrics) &&
            metrics.includes('jobs{queue="webhook-delivery",state="running"} 0')
          )
        })
        expect(await server.stop('SIGKILL')).toBeNull()
        const refused = server.lines.filter((l) => l.includes('webhook attempt'))
        expect(refused.join('\n')).toContain('"status":null')
        const receiver = await startWebhookReceiver(() => 204, port)
        cleanups.push(() => receiver.close())
        server = await startChildServer(env)
        await receiver.until(delivered('recording.completed', id))
        expect(receiver.received.filter((r) => r.type === 'recording.completed')).toHaveLength(1)
      },
      120_000,
    )
  })

  const why = unavailable('postgres') ?? REDIS_UNAVAILABLE
  it.skipIf(why !== null)(
    'with two instances, each attempt is made by one of them',
    async () => {
      const receiver = await startWebhookReceiver((_, nth) => (nth === 1 ? 500 : 204))
      cleanups.push(() => receiver.close())
      const env = await open('postgres', { ...hookEnv(receiver.url), REDIS_URL: await redisServerUrl() })
      const a = await startChildServer(env)
      cleanups.push(() => a.stop('SIGKILL'))
      const b = await startChildServer(env)
      cleanups.push(() => b.stop('SIGKILL'))
      const api = await client(() => a)
      const ids = [await api.complete(), await api.complete(), await api.complete()]
      for (const id of ids) await receiver.until(delivered('recording.completed', id))
      // A later event delivered: any duplicate of the earlier ones would have arrived by now.
      const last = await api.complete()
      await receiver.until(delivered('recording.completed', last))
      for (const id of [...ids, last]) {
        for (const type of ['recording.completed', 'recording.media_ready']) {
          await receiver.until(delivered(type, id))
          const got = receiver.received.filter((r) => r.type === type && r.body.data.id === id)
          expect(got.map((r) => r.status)).toEqual([500, 204])
        }
      }
      // Each instance logs the attempts it made: together, one line per request the receiver got.
      const attemptsBy = () => [a, b].map((s) => s.lines.filter((l) => l.includes('webhook attempt')).length)
      await until(() => attemptsBy().reduce((x, y) => x + y) === receiver.received.length)
      // Two events per recording (completed, media_ready), each refused once and then accepted.
      expect(receiver.received).toHaveLength(16)
    },
    120_000,
  )
})

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  await untilAsync(async () => check(), ms)
}

async function untilAsync(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}
