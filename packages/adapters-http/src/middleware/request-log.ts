import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../env.js'

export interface RequestLogOptions {
  readonly logger: Logger
}

/**
 * One line per request. It logs the path without the query string and no header at all, so
 * neither `Authorization` nor a `?token=` ever reaches the log.
 */
export function requestLog({ logger }: RequestLogOptions): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now()
    await next()
    // Unset until `requireUser` ran; the declared type cannot say so.
    const userId: string | undefined = c.var.userId
    const status = c.res.status
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.var.requestId,
      userId: userId ?? null,
    }
    if (status >= 500) logger.error(line, 'request failed')
    else logger.info(line, 'request')
  }
}
