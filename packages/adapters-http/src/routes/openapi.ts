import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env.js'

type Document = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>

/**
 * `GET /openapi.json`: OpenAPI 3.1 from the same zod schemas that validate the requests. Like
 * `app.doc31`, except that a generator failure goes to `onError` (a problem) instead of being
 * serialised to the client, and the document is built once, on first request, after every
 * route (including the ones mounted after `createApp`) is registered.
 */
export function registerOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  })
  let document: Document | null = null
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Recording ingest service',
        version: '1.0.0',
        description: 'Errors are RFC 9457 problem details (application/problem+json) with a stable `code`.',
      },
      tags: [{ name: 'health' }, { name: 'recordings' }, { name: 'content' }, { name: 'uploads' }],
    })
    return c.json(document)
  })
}
