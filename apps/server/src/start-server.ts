import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@hono/node-ws'
import { FsBlobStore } from '@rec/adapters-fs'
import {
  CLOSE,
  createApp,
  JoseAuthenticator,
  MeteredEventBus,
  mountWebSockets,
  runReadinessChecks,
  ServiceMetrics,
  StreamRegistry,
} from '@rec/adapters-http'
import { MediabunnyMediaProbe, MediabunnyMediaRemuxer } from '@rec/adapters-media'
import { migrateToLatest, openDatabase, PostgresJobLock, PostgresRecordingRepo } from '@rec/adapters-postgres'
import { Janitor, MediaFactsJob, RecordingService, retentionMs } from '@rec/domain'
import type { Logger } from 'pino'
import { openAfterCompletion } from './after-completion.js'
import { openBackends } from './backends.js'
import type { Config } from './config.js'
import { describeDatabase } from './describe-database.js'
import { applyIdleTimeout, closeGracefully, HTTP_SERVER_OPTIONS } from './http-lifecycle.js'
import { startJanitorLoop } from './janitor-loop.js'
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
  // Without Redis this is the single instance (SPEC §2), the only writer of its media directory.
  const blobs = new FsBlobStore({
    dir: join(config.dataDir, 'media'),
    exclusive: config.REDIS_URL === undefined,
  })
  const backends = await openBackends(config, logger, clock)
  const registry = new StreamRegistry()
  // Redis (another backend) may add `redisUp` here to report redis_up.
  const metrics = new ServiceMetrics({
    poolStats: () => database.poolStats(),
    streamsOpen: () => registry.size,
  })
  const events = new MeteredEventBus(backends.events, metrics)
  const afterCompletion = await openAfterCompletion(config, database, metrics, logger)
  const repo = new PostgresRecordingRepo(database.db, afterCompletion.outbox)
  const service = new RecordingService({
    repo,
    blobs,
    cache: backends.cache,
    totals: backends.totals,
    events,
    clock,
    ids: { newId: () => crypto.randomUUID() },
    logger: { warn: (message, details) => logger.warn(details, message) },
    limits: {
      maxBytes: config.MAX_RECORDING_BYTES,
      maxDurationMs: config.MAX_RECORDING_DURATION_S * 1000,
      idleTimeoutMs: config.IDLE_TIMEOUT_S * 1000,
    },
    // With Redis, several instances share the stores: confirm each write against the database.
    verifyAfterWrite: config.REDIS_URL !== undefined,
    afterCompletion: afterCompletion.options,
  })
  const secret = await resolveJwtSecret(config)
  const authenticator = new JoseAuthenticator({
    ...(secret ? { secret } : {}),
    ...(config.JWKS_URL ? { jwksUrl: config.JWKS_URL } : {}),
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  })
  const app = createApp({
    service,
    authenticator,
    rateLimiter: backends.rateLimiter,
    rateLimitOnStoreDown: config.RATE_LIMIT_ON_REDIS_DOWN,
    logger,
    corsOrigins: config.corsOrigins,
    // Each check gets 1 s; a hanging backend is reported failing, never hangs the probe.
    readiness: () =>
      runReadinessChecks({
        postgres: () => database.ping(),
        storage: () => blobs.checkWritable(),
        ...(config.REDIS_URL
          ? {
              redis: () =>
                backends.readiness().then((states) => {
                  if (Object.values(states).includes('failing')) throw new Error('redis is failing')
                }),
            }
          : {}),
      }),
    metrics,
    metricsToken: config.METRICS_TOKEN ?? null,
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
    onStored: (bytes) => metrics.ingested(bytes),
    onAck: () => metrics.ackSent(),
  })

  // serve() builds a plain node:http server unless told otherwise.
  const server = serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    serverOptions: HTTP_SERVER_OPTIONS,
  }) as Server
  applyIdleTimeout(server)
  ws.injectWebSocket(server)
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  await afterCompletion.start({
    media: new MediaFactsJob({
      repo,
      blobs,
      cache: backends.cache,
      probe: new MediabunnyMediaProbe(),
      remuxer: new MediabunnyMediaRemuxer(),
      clock,
      ids: { newId: () => crypto.randomUUID() },
      afterCompletion: afterCompletion.options,
    }),
  })
  const janitor = startJanitorLoop({
    janitor: new Janitor({
      service,
      repo,
      blobs,
      lock: new PostgresJobLock(database),
      clock,
      logger: { warn: (message, details) => logger.warn(details, message) },
      retentionMs: retentionMs(config.RETENTION_DAYS ?? null),
    }),
    intervalMs: Math.min(10_000, config.IDLE_TIMEOUT_S * 250),
    logger,
    onRun: (outcome) => metrics.janitorRun(outcome),
  })
  logger.info(
    {
      port,
      database: describeDatabase(database.kind, config),
      media: join(config.dataDir, 'media'),
      cache: backends.kind,
      events: backends.kind,
      rateLimit: backends.kind,
      auth: config.JWKS_URL ? 'JWKS' : 'HS256',
      retentionDays: config.RETENTION_DAYS ?? 'forever',
      webhooks: config.WEBHOOK_URL ? new URL(config.WEBHOOK_URL).origin : 'off',
    },
    `listening on http://${config.HOST}:${port} (database: ${describeDatabase(database.kind, config)}; cache, events, rate limits: ${backends.kind})`,
  )

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      const janitorStopped = janitor.stop()
      const jobsStopped = afterCompletion.close()
      await closeGracefully({ server, wss: ws.wss, streams: registry })
      await janitorStopped
      await jobsStopped
      await blobs.close()
      await database.close()
      await backends.close()
    },
  }
}
