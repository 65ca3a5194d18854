import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env.js'
import { validationHook } from '../problems/validation-hook.js'

export type CheckState = 'ok' | 'failing'

/** What each backend answered; the server wires one check per backend (postgres, redis, storage). */
export interface ReadinessReport {
  readonly checks: Readonly<Record<string, CheckState>>
}

export interface HealthRouteDeps {
  readonly readiness: () => Promise<ReadinessReport>
}

const HealthSchema = z
  .object({
    status: z.literal('healthy'),
    timestamp: z.iso.datetime(),
    uptime: z.number().nonnegative().openapi({ description: 'seconds since the process started' }),
  })
  .openapi('Health')

const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z
      .record(z.string(), z.enum(['ok', 'failing']))
      .openapi({ example: { postgres: 'ok', redis: 'failing' } }),
  })
  .openapi('Readiness')

const liveness = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getHealth',
  tags: ['health'],
  security: [],
  summary: 'Liveness: the process serves requests',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } } },
})

const readinessRoute = createRoute({
  method: 'get',
  path: '/ready',
  operationId: 'getReadiness',
  tags: ['health'],
  security: [],
  summary: 'Readiness: every backend answers',
  responses: {
    200: {
      description: 'Every backend answers',
      content: { 'application/json': { schema: ReadinessSchema } },
    },
    503: {
      description: 'A backend is failing',
      content: { 'application/json': { schema: ReadinessSchema } },
    },
  },
})

/** `/health` and `/health/ready`: no auth, no rate limit, so probes never get 401 or 429. */
export function createHealthRoutes({ readiness }: HealthRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openapi(liveness, (c) =>
    c.json(
      {
        status: 'healthy' as const,
        timestamp: new Date().toISOString(),
        uptime: Math.round(process.uptime()),
      },
      200,
    ),
  )
  app.openapi(readinessRoute, async (c) => {
    // A check that throws instead of answering is itself a failing backend.
    const checks = await readiness().then(
      (report) => report.checks,
      (): Record<string, CheckState> => ({ readiness: 'failing' }),
    )
    const ok = Object.values(checks).every((state) => state === 'ok')
    c.header('Cache-Control', 'no-store')
    return ok
      ? c.json({ status: 'ready' as const, checks }, 200)
      : c.json({ status: 'unavailable' as const, checks }, 503)
  })
  return app
}
