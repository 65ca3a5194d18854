import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env.js'
import { validationHook } from '../problems/validation-hook.js'
import { type TusContentDeps, tusContent } from './tus-content.js'
import { createUploadRoute, tusContentRoutes } from './tus-route-defs.js'
import { createUpload, type UploadCreationDeps } from './upload-creation.js'

export type TusRouteDeps = TusContentDeps & UploadCreationDeps

/**
 * tus 1.0.0 under `/api/v1` (SPEC §9): `POST /uploads`, and the tus side of each upload URL.
 * Mount it before the content routes: requests without `Tus-Resumable` pass through to them.
 * The version gate and OPTIONS sit in front of auth (see `app.ts`).
 */
export function createTusRoutes(deps: TusRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  for (const route of [createUploadRoute, ...tusContentRoutes]) app.openAPIRegistry.registerPath(route)
  app.post('/uploads', (c) => createUpload(c, deps))
  app.use('/recordings/:id/content', tusContent(deps))
  return app
}
