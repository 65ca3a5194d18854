import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import { TUS_VERSION } from './tus-protocol.js'

export interface TusResumableOptions {
  /** On `/uploads` every request but OPTIONS is tus; on an upload URL only those that say so. */
  readonly required: boolean
}

/**
 * The tus version gate: a request that names another version (or, where tus is required, none)
 * gets 412 with `Tus-Version`. Every response to a tus request, errors included, carries
 * `Tus-Resumable`.
 */
export function tusResumable({ required }: TusResumableOptions): MiddlewareHandler<AppEnv> {
  return async function tusResumable(c, next) {
    const version = c.req.header('Tus-Resumable')
    if (c.req.method === 'OPTIONS' || (version === undefined && !required)) return next()
    if (version !== TUS_VERSION) {
      throw new HttpProblem('TUS_VERSION_UNSUPPORTED', {
        detail: `this server speaks tus ${TUS_VERSION}; send Tus-Resumable: ${TUS_VERSION}`,
        headers: { 'Tus-Version': TUS_VERSION, 'Tus-Resumable': TUS_VERSION },
      })
    }
    await next()
    c.res.headers.set('Tus-Resumable', TUS_VERSION)
  }
}
