import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@hono/node-ws'
import { FsBlobStore } from '@rec/adapters-fs'
import {
  CLOSE,
  createApp,
  InProcessRateLimiter,
  JoseAuthenticator,
  mountWebSockets,
  StreamRegistry,
} from '@rec/adapters-http'
import { migrateToLatest, openDatabase, PostgresRecordingRepo } from '@rec/adapters-postgres'
import { MemoryCache, MemoryEventBus, RecordingService } from '@rec/domain'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import { describeDatabase } from './describe-database.js'
import { resolveJwtSecret } from './jwt-secret.js'

export interface RunningServer {
  readonly url: string
  readonly port: number
  /** Graceful stop (SPEC §8): no new connections, streams closed 1001 after their writes, pools closed. */
  close(): Promise<void>
}

/** Wires the adapters to the domain and listens. Everything here is composition, no logic. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const database = await openDatabase({
    url: config.DATABASE_URL ?? null,
    dataDir: config.DATABASE_URL ? null : join(config.dataDir, 'pg'),
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed'),
  })
  await migrateToLatest(database.db)
  const clock = { now: () => new Date() }
  const blobs = new FsBlobStore({ dir: join(config.dataDir, 'media') })
  const events = new MemoryEventBus()
  const service = new RecordingService({
    repo: new PostgresRecordingRepo(database.db),
    blobs,
    cache: new MemoryCache(clock),
    events,
    clock,
    ids: { newId: () => crypto.randomUUID() },
    logger: { warn: (message, details) => logger.warn(details, message) },
    limits: {
      maxBytes: config.MAX_RECORDING_BYTES,
      maxDurationMs: config.MAX_RECORDING_DURATION_S * 1000,
      idleTimeoutMs: config.IDLE_TIMEOUT_S * 1000,
    },
  })
  const secret = await resolveJwtSecret(config)
  const authenticator = new JoseAuthenticator({
    ...(secret ? { secret } : {}),
    ...(config.JWKS_URL ? { jwksUrl: config.JWKS_URL } : {}),
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  })
  const registry = new StreamRegistry()
  const app = createApp({
    service,
    authenticator,
    rateLimiter: new InProcessRateLimiter({ perMinute: config.RATE_LIMIT_PER_MIN }),
    logger,
    corsOrigins: config.corsOrigins,
    readiness: async () => {
      const postgres = await database.ping().then(
        () => 'ok' as const,
        () => 'failing' as const,
      )
      return { ok: postgres === 'ok', checks: { postgres } }
    },
    onRecordingDeleted: (id) => registry.close(id, CLOSE.notFound, 'recording deleted'),
  })
  const ws = createNodeWebSocket({ app })
  ws.wss.options.maxPayload = config.MAX_FRAME_BYTES
  mountWebSockets(app, {
    service,
    events,
    registry,
    authenticator,
    upgradeWebSocket: ws.upgradeWebSocket,
    logger,
  })

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST })
  ws.injectWebSocket(server)
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  const expiry = setInterval(
    () => void service.expire().catch((error: unknown) => logger.warn({ err: error }, 'expiry failed')),
    Math.min(10_000, config.IDLE_TIMEOUT_S * 250),
  )
  expiry.unref()
  logger.info(
    {
      port,
      database: describeDatabase(database.kind, config),
      media: join(config.dataDir, 'media'),
      cache: 'in-process',
      events: 'in-process',
      rateLimit: 'in-process',
      auth: config.JWKS_URL ? 'JWKS' : 'HS256',
    },
    `listening on http://${config.HOST}:${port} (database: ${describeDatabase(database.kind, config)}; cache, events, rate limits: in-process)`,
  )

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      clearInterval(expiry)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      await registry.closeAll(1001, 'server shutting down')
      for (const client of ws.wss.clients) client.close(1001, 'server shutting down')
      ;(server as { closeIdleConnections?: () => void }).closeIdleConnections?.()
      await closed
      await blobs.close()
      await database.close()
    },
  }
}
