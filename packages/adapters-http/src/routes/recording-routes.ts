import { OpenAPIHono, type z } from '@hono/zod-openapi'
import type { RecordingPage, RecordingService } from '@rec/domain'
import type { AppEnv } from '../env.js'
import { jsonBodyLimit } from '../middleware/json-body-limit.js'
import { validationHook } from '../problems/validation-hook.js'
import { encodeCursor } from '../schemas/list-cursor.js'
import { type RecordingPageSchema, toRecordingDto, toStatusDto } from '../schemas/recording-schema.js'
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

/** List bodies by the domain's page object; see the list route. */
const pageBodies = new WeakMap<RecordingPage, { readonly shape: string; readonly body: PageBody }>()
type PageBody = z.infer<typeof RecordingPageSchema>

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
    const { page, limit, status, sessionId, cursor } = c.req.valid('query')
    const result = await service.list({
      userId: c.get('userId'),
      page,
      limit,
      status: status ?? null,
      sessionId: sessionId ?? null,
      after: cursor,
    })
    // The domain answers a page it holds with the same object: its body is built (and, frozen,
    // rendered and compressed by `compressJson`) once. Keyed by what shapes the body besides it.
    const shape = `${cursor ? '-' : page}|${limit}`
    const known = pageBodies.get(result)
    if (known?.shape === shape) return c.json(known.body, 200)
    const last = result.items.at(-1)
    const body: PageBody = Object.freeze({
      data: result.items.map(toRecordingDto),
      pagination: {
        page: cursor ? null : page,
        limit,
        total: result.total,
        totalPages: Math.ceil(result.total / limit),
        nextCursor:
          last && result.items.length === limit && (cursor || page * limit < result.total)
            ? encodeCursor(last)
            : null,
      },
    })
    pageBodies.set(result, { shape, body })
    return c.json(body, 200)
  })

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param')
    await service.delete(c.get('userId'), id)
    await onDeleted(id)
    return c.body(null, 204)
  })

  return app
}
