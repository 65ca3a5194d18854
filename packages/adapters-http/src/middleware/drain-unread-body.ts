import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'

export interface DrainUnreadBodyOptions {
  /** Most bytes of an unread body read and discarded to keep the connection. Default 16 MiB. */
  readonly maxBytes?: number
  /** Longest the drain may take. Default 10 s. */
  readonly maxMs?: number
}

/**
 * An answer given before the request body has arrived (401, 409 OFFSET_MISMATCH, 413, 415, …)
 * must reach the client intact and leave a usable connection (SPEC §9). A server that closes a
 * socket with unread bytes makes the kernel send a TCP reset, which can destroy the answer in the
 * client's receive buffer (fetch/undici then sees a socket error), and a keep-alive answer on a
 * connection that is then closed breaks the client's pool. So the rest of an unread body is read
 * and discarded before the answer goes out, and the connection stays reusable. A body past
 * `maxBytes` or `maxMs` is not waited for: that answer says `Connection: close`.
 */
export function drainUnreadBody({
  maxBytes = 16 * 1024 * 1024,
  maxMs = 10_000,
}: DrainUnreadBodyOptions = {}): MiddlewareHandler<AppEnv> {
  return async function drainUnreadBody(c, next) {
    await next()
    // On Node: a body that has arrived whole left nothing on the socket, and asking the Request
    // (below) would build it (an AbortController, a Headers, two web streams) just to be told so.
    if (c.env?.incoming?.complete) return
    const request = c.req.raw
    if (request.method === 'GET' || request.method === 'HEAD' || request.bodyUsed) return
    const body = request.body
    if (!body || body.locked) return
    if (await drain(body, maxBytes, maxMs)) return
    c.res.headers.set('Connection', 'close')
  }
}

/** Reads `body` to its end; false when it is longer than `maxBytes`, slower than `maxMs` or fails. */
async function drain(body: ReadableStream<Uint8Array>, maxBytes: number, maxMs: number): Promise<boolean> {
  const reader = body.getReader()
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), maxMs)
  })
  let read = 0
  try {
    for (;;) {
      const result = await Promise.race([reader.read(), late])
      if (result === 'late') return false
      if (result.done) return true
      read += result.value.byteLength
      if (read > maxBytes) return false
    }
  } catch {
    return false // the client went away mid-body: nothing left to keep
  } finally {
    clearTimeout(timer)
    // Never cancel: that would destroy the socket before the answer is written.
    try {
      reader.releaseLock()
    } catch {
      // A read still pending: the stream stays locked, and Connection: close ends it.
    }
  }
}
