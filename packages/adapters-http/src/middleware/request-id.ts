import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { nodeResponse } from './response-headers.js'

export interface RequestIdOptions {
  readonly header?: string
  /** What a caller's id must look like to be echoed; anything else could inject into logs. */
  readonly accept?: RegExp
  readonly generate?: () => string
}

export function requestId({
  header = 'X-Request-Id',
  accept = /^[\w.-]{1,128}$/,
  generate = () => crypto.randomUUID(),
}: RequestIdOptions = {}): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const offered = c.req.header(header)
    const id = offered !== undefined && accept.test(offered) ? offered : generate()
    c.set('requestId', id)
    // On the Node response it is on every answer, whoever built it (response-headers.ts).
    const outgoing = nodeResponse(c)
    if (outgoing) {
      outgoing.setHeader(header, id)
      await next()
      return
    }
    c.header(header, id)
    await next()
    // Responses built outside the context (cors preflight, hono's HEAD) must carry it too.
    if (!c.res.headers.has(header)) c.res.headers.set(header, id)
  }
}
