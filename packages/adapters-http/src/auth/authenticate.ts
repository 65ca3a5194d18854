import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import type { Authenticator } from './authenticator.js'
import { bearerToken, resolveUser } from './resolve-user.js'

export interface AuthenticateOptions {
  readonly authenticator: Authenticator
}

/** Browsers cannot set headers on a WebSocket, so upgrades may carry `?token=` instead. */
const isWebSocketUpgrade = (c: Context<AppEnv>): boolean =>
  c.req.method === 'GET' && c.req.header('Upgrade')?.toLowerCase() === 'websocket'

/**
 * Reads the bearer token into `c.var.auth` without rejecting yet: the rate limiter runs next and
 * must count failed attempts too (per IP), or token guessing would be free.
 */
export function authenticate({ authenticator }: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    let token = bearerToken(c.req.header('Authorization'))
    if (token === null && isWebSocketUpgrade(c)) token = c.req.query('token') ?? null
    c.set('auth', await resolveUser(authenticator, token))
    await next()
  }
}

export interface RequireUserOptions {
  /**
   * WebSocket paths whose handlers answer a bad token themselves (SPEC §6: an error frame and
   * close 4401, which a browser can read, unlike an HTTP 401 to its upgrade request).
   */
  readonly deferUpgradeAuth?: (path: string) => boolean
}

/** Rejects unauthenticated requests with the 401 problem; sets `c.var.userId` for handlers. */
export function requireUser({
  deferUpgradeAuth = () => false,
}: RequireUserOptions = {}): MiddlewareHandler<AppEnv> {
  return async function requireUser(c, next) {
    const auth = c.get('auth')
    if (auth.ok) c.set('userId', auth.userId)
    else if (!(isWebSocketUpgrade(c) && deferUpgradeAuth(c.req.path))) throw auth.problem
    await next()
  }
}
