import type { Context, MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import type { RateLimiter } from './rate-limiter.js'

export interface RateLimitOptions {
  readonly limiter: RateLimiter
  readonly logger: Logger
}

/** The peer address of the socket; proxies' X-Forwarded-For is not trusted here. */
export function clientAddress(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket.remoteAddress ?? 'unknown'
}

/**
 * Limits per user once authenticated, else per client address, and reports the quota on every
 * response (RateLimit-* headers). Runs after `authenticate` and before `requireUser`.
 */
export function rateLimit({ limiter, logger }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const auth = c.var.auth
    const key = auth.ok ? `user:${auth.userId}` : `ip:${clientAddress(c)}`
    let decision: Awaited<ReturnType<RateLimiter['consume']>>
    try {
      decision = await limiter.consume(key)
    } catch (error) {
      // Fail open: a limiter outage must not take the API down with it.
      logger.warn({ err: error, requestId: c.var.requestId }, 'rate limiter unavailable')
      return next()
    }
    const headers = {
      'RateLimit-Limit': String(decision.limit),
      'RateLimit-Remaining': String(decision.remaining),
      'RateLimit-Reset': String(decision.resetSeconds),
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value)
    if (!decision.allowed) {
      throw new HttpProblem('RATE_LIMITED', {
        detail: `rate limit of ${decision.limit} requests per minute exceeded`,
        headers: { ...headers, 'Retry-After': String(decision.resetSeconds) },
      })
    }
    await next()
  }
}
