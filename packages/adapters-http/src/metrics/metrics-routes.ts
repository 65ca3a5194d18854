import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import type { ServiceMetrics } from './service-metrics.js'

/**
 * Times every request by its route pattern (`/api/v1/recordings/:id`), never the raw path, so
 * the label set stays bounded whatever clients send. Requests no route matched share one label.
 */
export function httpMetrics({ metrics }: { metrics: ServiceMetrics }): MiddlewareHandler<AppEnv> {
  return async function httpMetrics(c, next) {
    const started = performance.now()
    try {
      await next()
    } finally {
      const route = routePath(c, -1)
      metrics.observeRequest(
        { method: c.req.method, route: route.endsWith('*') ? 'unmatched' : route, status: c.res.status },
        (performance.now() - started) / 1000,
      )
    }
  }
}

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

/**
 * `GET /metrics`. Open by default (scrapers sit on the private network, like the health probes);
 * with a token set, only `Authorization: Bearer <token>` is served, for deployments where the
 * port is reachable from outside.
 */
export function createMetricsRoutes(options: {
  metrics: ServiceMetrics
  token: string | null
}): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    if (options.token !== null) {
      const given = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? ''
      if (!sameToken(given, options.token)) {
        throw new HttpProblem('UNAUTHORIZED', {
          detail: 'a metrics token is required',
          headers: { 'WWW-Authenticate': 'Bearer' },
        })
      }
    }
    const { contentType, body } = await options.metrics.render()
    c.header('Cache-Control', 'no-store')
    return c.body(body, 200, { 'Content-Type': contentType })
  })
}
