import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

/** One request the receiver got, and what it answered. */
export interface Received {
  readonly at: Date
  readonly webhookId: string
  readonly type: string
  /** Verified with the Standard Webhooks library against the shared secret. */
  readonly verified: boolean
  readonly status: number
  readonly body: { readonly type: string; readonly timestamp: string; readonly data: Record<string, unknown> }
}

export interface WebhookReceiver {
  readonly url: string
  readonly port: number
  readonly received: Received[]
  /** Resolves once `predicate` holds over what was received (checked on each request). */
  until(predicate: (received: readonly Received[]) => boolean, ms?: number): Promise<void>
  close(): Promise<void>
}

/** A secret in the Standard Webhooks form. */
export const WEBHOOK_TEST_SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`

/**
 * A real HTTP receiver that verifies every request's signature and answers `answer(request)`
 * (a status, or 'hang' to never answer). Listens on `port` (0: any free one).
 */
export async function startWebhookReceiver(
  answer: (webhookId: string, nth: number) => number | 'hang' = () => 204,
  port = 0,
): Promise<WebhookReceiver> {
  const verifier = new Webhook(WEBHOOK_TEST_SECRET)
  const received: Received[] = []
  const waiters = new Set<() => void>()
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    )
    let verified = true
    try {
      verifier.verify(text, headers)
    } catch {
      verified = false
    }
    const webhookId = headers['webhook-id'] ?? ''
    const nth = received.filter((r) => r.webhookId === webhookId).length + 1
    const status = verified ? answer(webhookId, nth) : 401
    const body = JSON.parse(text) as Received['body']
    received.push({
      at: new Date(),
      webhookId,
      type: body.type,
      verified,
      status: status === 'hang' ? 0 : status,
      body,
    })
    for (const wake of waiters) wake()
    if (status === 'hang') return
    res.writeHead(status).end()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${bound}/hooks`,
    port: bound,
    received,
    until(predicate, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(
              `receiver: condition not met in ${ms} ms; got ${JSON.stringify(received.map((r) => [r.type, r.status]))}`,
            ),
          )
        }, ms)
        waiters.add(check)
        check()
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
