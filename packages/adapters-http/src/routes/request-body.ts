import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'

const aborted = (error: unknown): HttpProblem =>
  new HttpProblem('REQUEST_BODY_ABORTED', {
    detail: 'the request body ended before it was complete',
    cause: error,
  })

/**
 * A media request body (PATCH, tus creation-with-upload) as an async iterable that reads one chunk
 * at a time, so the service's backpressure reaches the socket and nothing is buffered whole. A
 * read failure (client gone, connection reset) becomes REQUEST_BODY_ABORTED instead of an
 * internal error.
 *
 * On Node the bytes come straight from the `IncomingMessage`: through `c.req.raw.body` every
 * request would first build a WHATWG Request (an AbortController, a Headers, undici's checks) and
 * every 64 KiB chunk would pass two web streams (`@hono/node-server` wraps `Readable.toWeb`), a
 * fixed cost per PATCH and per chunk that the raw `node:http` server does not pay (bench/NOTES.md,
 * upload suite). Elsewhere (`app.request()`, other runtimes) the web stream is read.
 */
export function requestBody(c: Context<AppEnv>): AsyncGenerator<Uint8Array> {
  const incoming = c.env?.incoming
  return incoming ? incomingBody(incoming) : streamBody(c.req.raw.body)
}

async function* incomingBody(incoming: IncomingMessage): AsyncGenerator<Uint8Array> {
  // A reader that stops early (a size limit) leaves the rest unread rather than destroying the
  // socket: drainUnreadBody reads it before the answer goes out, so the answer arrives intact.
  const chunks = incoming.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Uint8Array>
  let ended = false
  try {
    for (;;) {
      let result: IteratorResult<Uint8Array>
      try {
        result = await chunks.next()
      } catch (error) {
        ended = true
        throw aborted(error)
      }
      if (result.done) {
        ended = true
        return
      }
      yield result.value
    }
  } finally {
    // Stopped early: the iterator lets go of the stream (its listeners), leaving it readable.
    if (!ended) await chunks.return?.()
  }
}

/** The web-stream body, for requests that carry no Node `IncomingMessage`. */
export async function* streamBody(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return
  const reader = body.getReader()
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (error) {
        throw aborted(error)
      }
      if (result.done) return
      yield result.value
    }
  } finally {
    // Stopping early (a size limit) must not leave the socket paused with unread data forever.
    await reader.cancel().catch(() => undefined)
  }
}
