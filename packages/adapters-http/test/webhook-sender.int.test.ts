import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { WebhookSender } from '../src/index.js'

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`
const recording = {
  id: '00000000-0000-4000-8000-000000000001',
  sessionId: '00000000-0000-4000-8000-000000000002',
  userId: '00000000-0000-4000-8000-000000000003',
  status: 'completed',
  config: { quality: 'high', format: 'webm' },
  sizeBytes: 10,
  durationMs: 1000,
  checksum: 'sha256:00',
  stopReason: 'client',
  failureReason: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  stoppedAt: '2026-01-01T00:00:01.000Z',
  lastActivityAt: '2026-01-01T00:00:01.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  media: null,
  seekable: null,
}
const event = (timestamp: Date) => ({
  id: 'evt_1',
  type: 'recording.completed',
  timestamp: timestamp.toISOString(),
  recording,
})

describe('WebhookSender', () => {
  const servers: Server[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  })

  async function receiver(answer: number | 'hang') {
    const got: { headers: Record<string, string>; body: string }[] = []
    const server = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      got.push({ headers: req.headers as Record<string, string>, body })
      if (answer !== 'hang') res.writeHead(answer).end()
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, got }
  }

  it('signs the event so the Standard Webhooks library verifies it, and resolves delivered on a 2xx', async () => {
    const r = await receiver(204)
    const sender = new WebhookSender({ url: r.url, secret: SECRET, maxAgeSeconds: 60 })
    expect(await sender.deliver(event(new Date()), 1)).toBe('delivered')
    const [req] = r.got
    const verified = new Webhook(SECRET).verify(req?.body ?? '', req?.headers ?? {}) as Record<
      string,
      unknown
    >
    expect(verified).toMatchObject({ type: 'recording.completed', data: { id: recording.id, media: null } })
    expect(req?.headers['webhook-id']).toBe('evt_1')
  })

  it('rejects a failed attempt of a fresh event (to be retried), dead-letters one older than the max age', async () => {
    const r = await receiver(500)
    const attempts: (number | null)[] = []
    const sender = new WebhookSender({
      url: r.url,
      secret: SECRET,
      maxAgeSeconds: 60,
      onAttempt: (a) => attempts.push(a.status),
    })
    await expect(sender.deliver(event(new Date()), 1)).rejects.toThrow('attempt 1: 500')
    expect(await sender.deliver(event(new Date(Date.now() - 61_000)), 7)).toBe('dead-lettered')
    expect(attempts).toEqual([500, 500])
  })

  it('gives up on a receiver that never answers after its timeout', async () => {
    const r = await receiver('hang')
    const sender = new WebhookSender({ url: r.url, secret: SECRET, maxAgeSeconds: 60, timeoutMs: 300 })
    const started = Date.now()
    await expect(sender.deliver(event(new Date()), 1)).rejects.toThrow(/attempt 1/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
