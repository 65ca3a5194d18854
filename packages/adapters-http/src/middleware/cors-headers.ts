import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { AppEnv } from '../env.js'
import { appendVary, setResponseHeader } from './response-headers.js'

export interface CorsHeadersOptions {
  /** `*` for any origin, else the exact origins allowed. */
  readonly origin: '*' | readonly string[]
  readonly allowMethods: readonly string[]
  readonly allowHeaders: readonly string[]
  readonly exposeHeaders: readonly string[]
  readonly maxAge: number
}

/**
 * CORS. Preflights are Hono's `cors`. On every other request the headers are added to the final
 * response once the handler built it: Hono's `cors` sets them on `c.res` before the handler runs,
 * which makes Hono copy the handler's response into a stream-bodied one, and @hono/node-server
 * then writes every JSON body through web streams (a third of a status request's CPU,
 * bench/NOTES.md). Headers only: nothing here reads a body.
 */
export function corsHeaders(options: CorsHeadersOptions): MiddlewareHandler<AppEnv> {
  const { origin, exposeHeaders } = options
  const preflight = cors({
    origin: origin === '*' ? '*' : [...origin],
    allowMethods: [...options.allowMethods],
    allowHeaders: [...options.allowHeaders],
    exposeHeaders: [...exposeHeaders],
    maxAge: options.maxAge,
  })
  const expose = exposeHeaders.join(',')
  return async function corsHeaders(c, next) {
    // Only a preflight names the method it asks for; a plain OPTIONS (tus capabilities) goes on.
    if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) return preflight(c, next)
    await next()
    const requested = c.req.header('origin') ?? ''
    const allowed = origin === '*' ? '*' : origin.includes(requested) ? requested : null
    if (allowed) setResponseHeader(c, 'Access-Control-Allow-Origin', allowed)
    if (expose) setResponseHeader(c, 'Access-Control-Expose-Headers', expose)
    if (origin !== '*') appendVary(c, 'Origin')
  }
}
