import type { RateLimiter } from '@rec/domain'
import type { Context, MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../env.js'
import { setResponseHeader } from '../middleware/response-headers.js'
import { HttpProblem } from '../problems/http-problem.js'

export interface RateLimitOptions {
  readonly limiter: RateLimiter
  readonly logger: Logger
  /**
   * When the limiter's store is down: 'open' lets requests through (the API stays up, unlimited);
   * 'closed' answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, not 429: the caller is not
   * over its quota, and a 429 would tell clients and dashboards the wrong story.
   */
  readonly onStoreDown?: 'open' | 'closed'
}

/** The peer address of the socket; proxies' X-Forwarded-For is not trusted here. */
export function clientAddress(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket.remoteAddress ?? 'unknown'
}

export interface QuotaOptions {
  readonly limiter: RateLimiter
  readonly logger: Logger
  readonly onStoreDown: 'open' | 'closed'
}

/**
 * Counts one request of `key`. Resolves with the RateLimit-* headers every answer carries, or null
 * when the store is down and the policy is 'open'; throws the 429 (or, 'closed', 503) problem.
 */
export async function consumeQuota(
  { limiter, logger, onStoreDown }: QuotaOptions,
  key: string,
  requestId: string,
): Promise<Record<string, string> | null> {
  let decision: Awaited<ReturnType<RateLimiter['consume']>>
  try {
    decision = await limiter.consume(key)
  } catch (error) {
    logger.warn({ err: error, requestId, onStoreDown }, 'rate limiter unavailable')
    if (onStoreDown === 'closed') {
      throw new HttpProblem('DEPENDENCY_UNAVAILABLE', {
        detail: 'rate limiting is unavailable; retry shortly',
        headers: { 'Retry-After': '1' },
      })
    }
    return null
  }
  const headers = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  }
  if (!decision.allowed) {
    throw new QuotaExceeded(headers, decision.limit, decision.resetSeconds)
  }
  return headers
}

/** The 429, with the quota headers the answer carries besides the problem's own. */
export class QuotaExceeded extends HttpProblem {
  constructor(
    readonly quotaHeaders: Record<string, string>,
    limit: number,
    resetSeconds: number,
  ) {
    super('RATE_LIMITED', {
      detail: `rate limit of ${limit} requests per minute exceeded`,
      headers: { ...quotaHeaders, 'Retry-After': String(resetSeconds) },
    })
  }
}

/**
 * Limits per user once authenticated, else per client address, and reports the quota on every
 * response (RateLimit-* headers). Runs after `authenticate` and before `requireUser`.
 */
export function rateLimit({
  limiter,
  logger,
  onStoreDown = 'open',
}: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const options = { limiter, logger, onStoreDown }
  return async function rateLimit(c, next) {
    const auth = c.get('auth')
    const key = auth.ok ? `user:${auth.userId}` : `ip:${clientAddress(c)}`
    let headers: Record<string, string> | null
    try {
      headers = await consumeQuota(options, key, c.get('requestId'))
    } catch (error) {
      if (error instanceof QuotaExceeded) {
        for (const [name, value] of Object.entries(error.quotaHeaders)) setResponseHeader(c, name, value)
      }
      throw error
    }
    if (headers) for (const [name, value] of Object.entries(headers)) setResponseHeader(c, name, value)
    await next()
  }
}
