import { HttpProblem } from '../problems/http-problem.js'

/**
 * The request body as an async iterable that reads one chunk at a time, so the service's
 * backpressure reaches the socket and nothing is buffered whole. A read failure (client gone,
 * connection reset) becomes REQUEST_BODY_ABORTED instead of an internal error.
 */
export async function* streamBody(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return
  const reader = body.getReader()
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (error) {
        throw new HttpProblem('REQUEST_BODY_ABORTED', {
          detail: 'the request body ended before it was complete',
          cause: error,
        })
      }
      if (result.done) return
      yield result.value
    }
  } finally {
    // Stopping early (a size limit) must not leave the socket paused with unread data forever.
    await reader.cancel().catch(() => undefined)
  }
}
