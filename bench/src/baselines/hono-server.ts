import { serve } from '@hono/node-server'
import { Hono } from 'hono'

/** The HTTP ceiling: one bare Hono route answering a small JSON, no middleware. */
const app = new Hono()
  .get('/health', (c) => c.json({ status: 'healthy' }))
  .get('/status', (c) =>
    c.json({
      id: '0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11',
      status: 'recording',
      sizeBytes: 0,
      durationMs: null,
      updatedAt: new Date().toISOString(),
    }),
  )
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' })
process.on('SIGTERM', () => server.close(() => process.exit(0)))
