import { createRoute, z } from '@hono/zod-openapi'
import { problem } from '../schemas/common-schemas.js'

// Routes served by plain Hono handlers (no request to validate), documented here.

const anyDocument = z.record(z.string(), z.unknown())

export const metricsDoc = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['operations'],
  // Open unless METRICS_TOKEN is set; then `Authorization: Bearer <METRICS_TOKEN>`.
  security: [{}, { metricsToken: [] }],
  summary: 'Prometheus metrics (text exposition format)',
  description:
    'Not rate limited. Open by default (expose the port to the scraper only); with METRICS_TOKEN set, requires `Authorization: Bearer <METRICS_TOKEN>`.',
  responses: {
    200: {
      description: 'Prometheus text, `Cache-Control: no-store`',
      content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: z.string() } },
    },
    401: problem('METRICS_TOKEN is set and the bearer token is missing or wrong (UNAUTHORIZED)'),
  },
})

export const openApiDoc = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['operations'],
  security: [],
  summary: 'This document (OpenAPI 3.1)',
  responses: {
    200: { description: 'The document', content: { 'application/json': { schema: anyDocument } } },
  },
})

export const asyncApiDoc = createRoute({
  method: 'get',
  path: '/asyncapi.json',
  operationId: 'getAsyncApiDocument',
  tags: ['operations'],
  security: [],
  summary: 'The WebSocket messages of /stream and /events (AsyncAPI 3.0)',
  responses: {
    200: { description: 'The document', content: { 'application/json': { schema: anyDocument } } },
  },
})
