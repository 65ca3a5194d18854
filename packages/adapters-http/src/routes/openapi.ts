import type { OpenAPIHono } from '@hono/zod-openapi'
import { asyncApiDocument } from '../asyncapi/asyncapi-document.js'
import type { AppEnv } from '../env.js'
import { addCommonHeaders } from '../openapi/common-headers.js'
import { type DocumentedLimits, documentInfo } from '../openapi/document-info.js'
import type { OpenApiDocument } from '../openapi/document-types.js'
import { asyncApiDoc, metricsDoc, openApiDoc } from '../openapi/operational-route-docs.js'
import { addTusToContent } from '../openapi/tus-content-docs.js'
import { eventsDoc, streamDoc } from '../openapi/websocket-route-docs.js'

export interface ApiDocumentOptions {
  readonly limits: DocumentedLimits
  /** PUBLIC_URL: the `servers` entry; null: the origin the document is served from (`/`). */
  readonly publicUrl: string | null
  /** Whether `/metrics` is served. */
  readonly metrics: boolean
}

/**
 * `GET /openapi.json` (OpenAPI 3.1, from the same zod schemas that validate the requests, plus
 * the routes served without a schema: WebSockets, metrics, the documents, tus) and
 * `GET /asyncapi.json` (AsyncAPI 3.0, the WebSocket messages). Like `app.doc31`, except that a
 * generator failure goes to `onError` (a problem) instead of being serialised to the client, and
 * each document is built once, on first request, after every route is registered.
 */
export function registerOpenApi(app: OpenAPIHono<AppEnv>, options: ApiDocumentOptions): void {
  const registry = app.openAPIRegistry
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  })
  registry.registerComponent('securitySchemes', 'queryToken', {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The JWT as `?token=`, on WebSocket upgrades only (browsers cannot set Authorization there)',
  })
  // The tus routes (POST /uploads, OPTIONS, DELETE and POST on the upload URL) document themselves.
  for (const route of [openApiDoc, asyncApiDoc, streamDoc, eventsDoc]) registry.registerPath(route)
  if (options.metrics) {
    registry.registerComponent('securitySchemes', 'metricsToken', {
      type: 'http',
      scheme: 'bearer',
      description: 'METRICS_TOKEN, when set',
    })
    registry.registerPath(metricsDoc)
  }

  let openApi: OpenApiDocument | null = null
  app.get('/openapi.json', (c) => {
    if (!openApi) {
      const document = app.getOpenAPI31Document(documentInfo(options.limits, options.publicUrl))
      addTusToContent(document)
      addCommonHeaders(document)
      openApi = document
    }
    return c.json(openApi)
  })
  let asyncApi: object | null = null
  app.get('/asyncapi.json', (c) => {
    asyncApi ??= asyncApiDocument({
      limits: options.limits,
      publicUrl: options.publicUrl ?? null,
      host: new URL(c.req.url).host,
    })
    return c.json(asyncApi)
  })
}
