import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { getRequestListener } from '@hono/node-server'
import {
  CLOSE,
  createHttpServer,
  HmacPlaybackSigner,
  JoseAuthenticator,
  MeteredEventBus,
  runReadinessChecks,
  ServiceMetrics,
  StreamRegistry,
} from '@rec/adapters-http'
import { LazyMediaProbe, LazyMediaRemuxer } from '@rec/adapters-media/lazy'
import {
  migrateToLatest,
  openDatabase,
  PostgresJobLock,
  PostgresRecordingRepo,
  PostgresWriterLease,
} from '@rec/adapters-postgres'
import type { OpenedDialect } from '@rec/adapters-postgres/open-pglite'
import { Janitor, MediaFactsJob, PlaybackAccess, RecordingService, retentionMs } from '@rec/domain'
import type { Logger } from 'pino'
import { openAfterCompletion } from './after-completion.js'
import { openBackends } from './backends.js'
import type { Config } from './config.js'
import { describeDatabase } from './describe-database.js'
import { listenEarly, type StartingServer } from './early-listen.js'
import { closeGracefully } from './http-lifecycle.js'
import { startJanitorLoop } from './janitor-loop.js'
import { resolveJwtSecret } from './jwt-secret.js'
import { openMediaStore } from './media-store.js'
import { resolvePlaybackSecret } from './playback-secret.js'
import { mountRecorderPage } from './recorder-page.js'

/**
 * Longest a new stream waits for the instance holding its recording to store its pending bytes
 * and let go; past it (that instance hangs) the lease is taken and the fence refuses the old one.
 */
const HANDOFF_WAIT_MS = 5_000

export interface RunningServer {
  readonly url: string
  readonly port: number
  /** Graceful stop (SPEC §8): no new connections, streams closed 1001 after their writes, pools closed. */
  close(): Promise<void>
}

export interface StartOptions {
  /**
   * The server `listenEarly` opened before this module was even loaded (main.ts): it answers the
   * liveness probe and holds other requests until the app is wired. None: listen here, at the end.
   */
  readonly starting?: StartingServer
  /** The embedded database main.ts started opening while the modules loaded (no DATABASE_URL). */
  readonly pglite?: Promise<OpenedDialect>
}

/** Wires the adapters to the domain and listens. Everything here is composition, no logic. */
export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const database = await openDatabase({
    url: config.DATABASE_URL ?? null,
    dataDir: config.pgliteDir,
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed'),
    ...(options.pglite ? { pglite: options.pglite } : {}),
  })
  await migrateToLatest(database.db)
  const clock = { now: () => new Date() }
  // Several instances may write one recording once they share Redis or a bucket: one writer each,
  // by a fencing token in PostgreSQL (SPEC §12). A lone instance needs none.
  const lease =
    config.topology === 'shared' || config.BLOB_STORE === 's3' ? new PostgresWriterLease(database.db) : null
  const media = await openMediaStore(config, { database, lease, logger })
  const blobs = media.blobs
  const backends = await openBackends(config, logger, clock)
  const registry = new StreamRegistry()
  const metrics = new ServiceMetrics({
    poolStats: () => database.poolStats(),
    streamsOpen: () => registry.size,
    ...(backends.totalsHeld ? { listTotalsCached: backends.totalsHeld } : {}),
    ...(backends.redisState
      ? { redisUp: backends.redisState.up, redisCircuitOpen: backends.redisState.circuitOpen }
      : {}),
  })
  // A newer stream on another instance asks this one to store its stream's pending bytes and
  // close it with 4000 before taking the lease (SPEC §6.5 across instances).
  const handoff =
    lease && backends.openHandoff
      ? await backends.openHandoff({
          instanceId: `${hostname()}:${process.pid}:${crypto.randomUUID()}`,
          onRelease: (key) =>
            registry.close(key, CLOSE.takenOver, 'taken over by a newer stream on another instance'),
          waitMs: HANDOFF_WAIT_MS,
        })
      : null
  const events = new MeteredEventBus(backends.events, metrics)
  const afterCompletion = await openAfterCompletion(config, database, metrics, logger)
  const repo = new PostgresRecordingRepo(database.db, afterCompletion.outbox)
  const service = new RecordingService({
    repo,
    blobs,
    cache: backends.cache,
    totals: backends.totals,
    listVersions: backends.listVersions,
    events,
    clock,
    ids: { newId: () => crypto.randomUUID() },
    logger: { warn: (message, details) => logger.warn(details, message) },
    limits: {
      maxBytes: config.MAX_RECORDING_BYTES,
      maxDurationMs: config.MAX_RECORDING_DURATION_S * 1000,
      idleTimeoutMs: config.IDLE_TIMEOUT_S * 1000,
    },
    // `shared`: several instances share the stores, so each write is confirmed against the database.
    topology: config.topology,
    lease,
    handoff,
    afterCompletion: afterCompletion.options,
  })
  const secret = await resolveJwtSecret(config)
  const authenticator = new JoseAuthenticator({
    ...(secret ? { secret } : {}),
    ...(config.JWKS_URL ? { jwksUrl: config.JWKS_URL } : {}),
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  })
  const playback = new PlaybackAccess({
    service,
    repo,
    blobs,
    signer: HmacPlaybackSigner.fromSecret(await resolvePlaybackSecret(config, secret)),
    clock,
    ttlMs: config.PLAYBACK_URL_TTL_S * 1000,
  })
  const http = createHttpServer({
    service,
    events,
    registry,
    maxFrameBytes: config.MAX_FRAME_BYTES,
    onStored: (bytes) => metrics.ingested(bytes),
    onAck: () => metrics.ackSent(),
    maxSocketsPerUser: config.MAX_SOCKETS_PER_USER,
    authenticator,
    rateLimiter: backends.rateLimiter,
    rateLimitOnStoreDown: config.RATE_LIMIT_ON_REDIS_DOWN,
    logger,
    corsOrigins: config.corsOrigins,
    // Each check gets 1 s; a hanging backend is reported failing, never hangs the probe.
    readiness: () =>
      runReadinessChecks({
        postgres: () => database.ping(),
        storage: () => media.check(),
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
    onRecordingDeleted: async (id) => {
      await registry.close(id, CLOSE.notFound, 'recording deleted')
    },
    playback: {
      access: playback,
      publicUrl: config.PUBLIC_URL ?? null,
      ttlSeconds: config.PLAYBACK_URL_TTL_S,
    },
    documentedLimits: {
      maxFrameBytes: config.MAX_FRAME_BYTES,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MIN,
    },
  })

  await mountRecorderPage(http.app, { config, secret, logger })

  const { server, open } = options.starting ?? (await listenEarly({ port: config.PORT, host: config.HOST }))
  http.injectWebSocket(server)
  // Held requests (those that came while starting) go first, then every later one.
  open(getRequestListener(http.app.fetch, { hostname: config.HOST }))
  const port = (server.address() as AddressInfo).port
  await afterCompletion.start({
    media: new MediaFactsJob({
      repo,
      blobs,
      cache: backends.cache,
      listVersions: backends.listVersions,
      probe: new LazyMediaProbe(),
      remuxer: new LazyMediaRemuxer(),
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
      topology: config.topology,
      database: describeDatabase(database.kind, config),
      media: media.description,
      cache: backends.kind,
      events: backends.kind,
      rateLimit: backends.kind,
      auth: config.JWKS_URL ? 'JWKS' : 'HS256',
      retentionDays: config.RETENTION_DAYS ?? 'forever',
      webhooks: config.WEBHOOK_URL ? new URL(config.WEBHOOK_URL).origin : 'off',
    },
    `listening on http://${config.HOST}:${port} (topology: ${config.topology}; database: ${describeDatabase(database.kind, config)}; media: ${media.description}; cache, events, rate limits: ${backends.kind})`,
  )

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      const janitorStopped = janitor.stop()
      const jobsStopped = afterCompletion.close()
      await closeGracefully({ server, wss: http.wss, streams: registry })
      await janitorStopped
      await jobsStopped
      await handoff?.close()
      await media.close()
      await database.close()
      await backends.close()
    },
  }
}
