import type { Context, MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv, WebSocketLogFields } from '../env.js'

export interface RequestLogOptions {
  readonly logger: Logger
}

/**
 * One line per request. It logs the path without the query string and no header at all, so
 * neither `Authorization` nor a `?token=` ever reaches the log. A WebSocket upgrade's line waits
 * for the socket to close (see `deferRequestLog`): status 101 and the close code, not the 200 of
 * the placeholder response the upgrade helper returns before the handshake.
 */
export function requestLog({ logger }: RequestLogOptions): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now()
    const line = (status: number) => ({
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get('requestId'),
      // Unset until `requireUser` ran; the declared type cannot say so.
      userId: (c.get('userId') as string | undefined) ?? null,
    })
    let deferred = false
    c.set('deferRequestLog', () => {
      deferred = true
      // Plain values only: the writer lives as long as the socket, the context must not.
      return socketLine(logger, started, line(101))
    })
    await next()
    if (deferred) return
    const status = c.res.status
    if (status >= 500) logger.error(line(status), 'request failed')
    else logger.info(line(status), 'request')
  }
}

/** The request line of a WebSocket, written when it closes; made outside the middleware's scope (see above). */
function socketLine(
  logger: Logger,
  started: number,
  request: Readonly<Record<string, unknown>>,
): (fields: WebSocketLogFields) => void {
  return (fields) => {
    const durationMs = Math.round((performance.now() - started) * 100) / 100
    logger.info({ ...request, durationMs, ...fields }, 'request')
  }
}

/**
 * For a WebSocket route: when the request came through node:http's `upgrade` event (a socket, not
 * a response, answers it), its request line is written by the returned function once the socket
 * closes, with the close code. Otherwise (a plain request, no `requestLog`) a no-op, and the line is
 * written as usual. A handshake that `ws` itself aborts (a bad Sec-WebSocket-Key) gets no line.
 */
export function deferRequestLog(c: Context<AppEnv>): (fields: WebSocketLogFields) => void {
  const upgrading =
    c.req.header('upgrade')?.toLowerCase() === 'websocket' &&
    c.env?.incoming !== undefined &&
    c.env.outgoing === undefined
  const write = upgrading ? c.get('deferRequestLog')?.() : undefined
  return write ? once(write) : () => {}
}

function once(write: (fields: WebSocketLogFields) => void): (fields: WebSocketLogFields) => void {
  let written = false
  return (fields) => {
    if (written) return
    written = true
    write(fields)
  }
}
