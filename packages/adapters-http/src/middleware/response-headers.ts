import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'

/**
 * Headers the middleware chain adds to every answer (request id, rate-limit quota, CORS) go onto
 * the Node response, whose `writeHead` merges them with the answer's own (the answer's win on a
 * clash). Set through Hono instead, each request built a web `Headers` object (with its WebIDL
 * validation) where a handler's `c.json` needs none, and @hono/node-server then copied it back
 * into a plain object: about a tenth of a status request's CPU (bench/NOTES.md). Without a Node
 * response (`app.request()` in tests, other runtimes, a WebSocket upgrade) they go through Hono.
 */
export function nodeResponse(c: Context<AppEnv>): ServerResponse | null {
  const outgoing = c.env?.outgoing
  return outgoing && !outgoing.headersSent ? outgoing : null
}

/** Sets `name` on this request's answer; see `nodeResponse`. */
export function setResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  const outgoing = nodeResponse(c)
  if (outgoing) outgoing.setHeader(name, value)
  else c.header(name, value)
}

/**
 * Adds `token` to this request's `Vary`. Every `Vary` of the chain goes through here, so the
 * tokens meet in one place whichever way the answer is written.
 */
export function appendVary(c: Context<AppEnv>, token: string): void {
  const outgoing = nodeResponse(c)
  if (!outgoing) {
    c.header('Vary', token, { append: true })
    return
  }
  const current = outgoing.getHeader('Vary')
  outgoing.setHeader('Vary', current === undefined ? token : `${String(current)}, ${token}`)
}
