import type { NotFoundHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from './http-problem.js'
import { problemResponse } from './to-problem.js'

export interface RouteEntry {
  readonly method: string
  readonly path: string
}

const patternOf = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split('/')
      .map((part) =>
        part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/')}/?$`,
  )

/** Methods that some route serves at `path`; hono itself answers any miss with a plain 404. */
export function allowedMethods(routes: readonly RouteEntry[], path: string): string[] {
  const methods = new Set<string>()
  for (const route of routes) {
    if (route.method === 'ALL' || !patternOf(route.path).test(path)) continue
    methods.add(route.method)
    // Hono serves HEAD with the GET handler.
    if (route.method === 'GET') methods.add('HEAD')
  }
  return [...methods].sort()
}

export interface NotFoundOptions {
  /** The app's routes, read per miss so routes mounted after `createApp` count too. */
  readonly routes: () => readonly RouteEntry[]
}

/** 404 problem for unknown paths, 405 with `Allow` for a known path and the wrong method. */
export function notFoundProblem({ routes }: NotFoundOptions): NotFoundHandler<AppEnv> {
  return function notFound(c) {
    const allowed = allowedMethods(routes(), c.req.path)
    if (allowed.length > 0) {
      const allow = [...allowed, 'OPTIONS'].join(', ')
      return problemResponse(
        c,
        new HttpProblem('METHOD_NOT_ALLOWED', { detail: `use one of ${allow}`, headers: { Allow: allow } }),
      )
    }
    return problemResponse(c, new HttpProblem('NOT_FOUND', { detail: `no route for ${c.req.path}` }))
  }
}
