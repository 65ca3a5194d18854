import { OpenAPIHono } from '@hono/zod-openapi'
import type { RecordingService } from '@rec/domain'
import type { AppEnv } from '../env.js'
import { jsonBodyLimit } from '../middleware/json-body-limit.js'
import { validationHook } from '../problems/validation-hook.js'
import { toRecordingDto, toStatusDto } from '../schemas/recording-schema.js'
import { listPage } from './list-page.js'
import {
  deleteRoute,
  getRoute,
  listRoute,
  startRoute,
  statusRoute,
  stopRoute,
} from './recording-route-defs.js'

export interface RecordingRouteDeps {
  readonly service: RecordingService
  readonly bodyLimitBytes: number
  readonly onDeleted: (id: string) => Promise<void> | void
}

/** The JSON resource routes of `/api/v1/recordings`; media lives in `createContentRoutes`. */
export function createRecordingRoutes({
  service,
  bodyLimitBytes,
  onDeleted,
}: RecordingRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const limit = jsonBodyLimit({ maxBytes: bodyLimitBytes })
  app.on('POST', ['/start', '/:id/stop'], limit)

  app.openapi(startRoute, async (c) => {
    const body = c.req.valid('json')
    const { recording, replayed } = await service.start({
      userId: c.get('userId'),
      sessionId: body.sessionId,
      config: body.config,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    })
    c.header('Location', `${c.req.path.replace(/\/start$/, '')}/${recording.id}`)
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(toRecordingDto(recording), 201)
  })

  app.openapi(stopRoute, async (c) => {
    const recording = await service.stop(c.get('userId'), c.req.valid('param').id)
    return c.json(toRecordingDto(recording), 200)
  })

  app.openapi(statusRoute, async (c) => {
    const r = await service.status(c.get('userId'), c.req.valid('param').id)
    return c.json(toStatusDto(r), 200)
  })

  app.openapi(getRoute, async (c) => {
    const recording = await service.get(c.get('userId'), c.req.valid('param').id)
    return c.json(toRecordingDto(recording), 200)
  })

  app.openapi(listRoute, async (c) => {
    return c.json(await listPage(service, c.get('userId'), c.req.valid('query')), 200)
  })

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param')
    await service.delete(c.get('userId'), id)
    await onDeleted(id)
    return c.body(null, 204)
  })

  return app
}
