import { OpenAPIHono } from '@hono/zod-openapi'
import type { PlaybackAccess, RateLimiter, RecordingService } from '@rec/domain'
import type { Logger } from 'pino'
import { authenticate, requireUser } from './auth/authenticate.js'
import type { Authenticator } from './auth/authenticator.js'
import type { AppEnv } from './env.js'
import { createMetricsRoutes, httpMetrics } from './metrics/metrics-routes.js'
import type { ServiceMetrics } from './metrics/service-metrics.js'
import { compressJson } from './middleware/compress-json.js'
import { corsHeaders } from './middleware/cors-headers.js'
import { drainUnreadBody } from './middleware/drain-unread-body.js'
import { requestId } from './middleware/request-id.js'
import { requestLog } from './middleware/request-log.js'
import { createPlaybackRoutes } from './playback/playback-routes.js'
import { createPlaybackUrlRoutes } from './playback/playback-url-routes.js'
import { notFoundProblem } from './problems/not-found.js'
import { problemResponse, problemStatus } from './problems/to-problem.js'
import { validationHook } from './problems/validation-hook.js'
import { rateLimit } from './rate-limit/rate-limit.js'
import { createContentRoutes } from './routes/content-routes.js'
import { createHealthRoutes, type ReadinessReport } from './routes/health-routes.js'
import { hotReads } from './routes/hot-reads.js'
import { registerOpenApi } from './routes/openapi.js'
import { createRecordingRoutes } from './routes/recording-routes.js'
import { tusOptions } from './tus/tus-options.js'
import { TUS_EXPOSE_HEADERS, TUS_REQUEST_HEADERS } from './tus/tus-protocol.js'
import { tusResumable } from './tus/tus-resumable.js'
import { createTusRoutes } from './tus/tus-routes.js'

export interface HttpDeps {
  readonly service: RecordingService
  readonly authenticator: Authenticator
  readonly rateLimiter: RateLimiter
  /** What the rate limiter does when its store (Redis) is down; default 'open'. */
  readonly rateLimitOnStoreDown?: 'open' | 'closed'
  readonly logger: Logger
  readonly readiness: () => Promise<ReadinessReport>
  /** `'*'` (development) or the exact origins allowed to call from a browser. */
  readonly corsOrigins: '*' | readonly string[]
  /** Limit of JSON request bodies; media uploads are not subject to it. Default 64 KiB. */
  readonly bodyLimitBytes?: number
  /** Prometheus metrics: requests are timed and `GET /metrics` serves them. None: no `/metrics`. */
  readonly metrics?: ServiceMetrics
  /** When set, `GET /metrics` requires `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string | null
  /** Called after a DELETE removed a recording, so the caller can close an attached stream. */
  readonly onRecordingDeleted?: (id: string) => Promise<void> | void
  /** Where tus bodies with an Upload-Checksum wait until their digest is checked; default the OS temp dir. */
  readonly tusStagingDir?: string
  /** Limits the API documents state besides the service's own (which they read from it). */
  readonly documentedLimits?: {
    readonly maxFrameBytes?: number
    readonly rateLimitPerMinute?: number
  }
  /** Signed playback URLs (SPEC §10); none: no `playback-url` route and no `/playback`. */
  readonly playback?: PlaybackDeps
  /**
   * Answer `GET /recordings/:id`, `…/:id/status` and `GET /recordings` past the middleware chain (`routes/hot-reads.ts`),
   * with the same observable behaviour; default true. False serves them through the chain.
   */
  readonly hotReads?: boolean
}

export interface PlaybackDeps {
  readonly access: PlaybackAccess
  /** The service's public origin (PUBLIC_URL) for the URLs; null: the origin each request came to. */
  readonly publicUrl?: string | null
  /** PLAYBACK_URL_TTL_S, for the documents. */
  readonly ttlSeconds?: number
}

/** Where the versioned API lives; the WebSocket routes mount under it too. */
export const API_PREFIX = '/api/v1'

/** Where signed playback URLs point: outside `/api/v1`, so no JWT or rate limit applies. */
export const PLAYBACK_PATH = '/playback'

/** The WebSocket endpoints (SPEC §6, §7), mounted by the caller; they check auth themselves. */
export const WEBSOCKET_PATH = /^\/api\/v1\/(recordings\/[^/]+\/stream|events)$/

const CORS_ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Upload-Offset',
  'Idempotency-Key',
  'X-Request-Id',
  ...TUS_REQUEST_HEADERS,
]
const CORS_EXPOSE_HEADERS = [
  'Upload-Offset',
  'X-Request-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Location',
  'Content-Range',
  'ETag',
  'Accept-Ranges',
  'Content-Disposition',
  ...TUS_EXPOSE_HEADERS.filter((name) => name !== 'Upload-Offset' && name !== 'Location'),
]

/**
 * The HTTP app. Order matters: request id and log wrap everything; CORS answers preflights before
 * auth; `/api/v1` authenticates, rate-limits (per IP while unauthenticated), then requires a user.
 */
export function createApp(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const { service, authenticator, rateLimiter, logger, readiness, corsOrigins } = deps
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.use(requestId())
  // Outside everything that may answer early (auth, rate limit, 413, 415, 409): see its doc.
  app.use(drainUnreadBody())
  if (deps.metrics) app.use(httpMetrics({ metrics: deps.metrics }))
  app.use(requestLog({ logger }))
  app.use(
    corsHeaders({
      origin: corsOrigins,
      allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: CORS_ALLOW_HEADERS,
      exposeHeaders: CORS_EXPOSE_HEADERS,
      maxAge: 600,
    }),
  )
  app.use(compressJson())
  // tus (SPEC §9) in front of auth: a 401 or 429 to a tus request carries Tus-Resumable too, and
  // OPTIONS (capabilities) needs no token.
  const tusPaths = [`${API_PREFIX}/uploads`, `${API_PREFIX}/recordings/:id/content`] as const
  app.use(tusPaths[0], tusResumable({ required: true }))
  app.use(tusPaths[1], tusResumable({ required: false }))
  app.on('OPTIONS', [...tusPaths], tusOptions(service.limits.maxBytes))
  app.use(`${API_PREFIX}/*`, authenticate({ authenticator }))
  app.use(
    `${API_PREFIX}/*`,
    rateLimit({ limiter: rateLimiter, logger, onStoreDown: deps.rateLimitOnStoreDown ?? 'open' }),
  )
  app.use(`${API_PREFIX}/*`, requireUser({ deferUpgradeAuth: (path) => WEBSOCKET_PATH.test(path) }))

  app.route('/health', createHealthRoutes({ readiness }))
  // Outside /api/v1: no JWT and no rate limit, like the health probes (README: "Metrics").
  if (deps.metrics) {
    app.route('/metrics', createMetricsRoutes({ metrics: deps.metrics, token: deps.metricsToken ?? null }))
  }
  // The same hook for a REST DELETE and a tus termination.
  const onDeleted = async (id: string): Promise<void> => {
    // The row and media are gone either way; a failing hook must not turn that into a 500.
    try {
      await deps.onRecordingDeleted?.(id)
    } catch (error) {
      logger.warn({ err: error, recordingId: id }, 'onRecordingDeleted failed')
    }
  }
  // Before the content routes: upload URLs answer tus requests here and pass the others on.
  app.route(
    API_PREFIX,
    createTusRoutes({
      service,
      apiPrefix: API_PREFIX,
      onStored: (bytes) => deps.metrics?.ingested(bytes),
      stagingDir: deps.tusStagingDir,
      onDeleted,
    }),
  )
  app.route(
    `${API_PREFIX}/recordings`,
    createRecordingRoutes({
      service,
      bodyLimitBytes: deps.bodyLimitBytes ?? 64 * 1024,
      onDeleted,
    }),
  )
  app.route(
    `${API_PREFIX}/recordings`,
    createContentRoutes({ service, onStored: (bytes) => deps.metrics?.ingested(bytes) }),
  )

  if (deps.playback) {
    const { access, publicUrl = null } = deps.playback
    app.route(
      `${API_PREFIX}/recordings`,
      createPlaybackUrlRoutes({ access, publicUrl, playbackPath: PLAYBACK_PATH }),
    )
    app.route(PLAYBACK_PATH, createPlaybackRoutes({ access }))
  }

  // ─── More routes mount here ──────────────────────────────────────────────────────────────
  // The WebSocket routes (`${API_PREFIX}/recordings/:id/stream`, `${API_PREFIX}/events`) are
  // added on the returned app by createHttpServer (http-server.ts), through mountWebSockets.
  // They sit behind the `/api/v1/*` chain above, which is rate-limited; `authenticate` also reads
  // `?token=` on upgrades. On WEBSOCKET_PATH a failed auth is NOT rejected here: `c.var.userId`
  // is then unset and `c.var.auth` holds the failure, so the WS handler must check auth itself
  // (`c.var.auth`, or `resolveUser(authenticator, token)` on a raw token) and close with 4401.
  // ──────────────────────────────────────────────────────────────────────────────────────────

  const { maxBytes, maxDurationMs, idleTimeoutMs } = service.limits
  registerOpenApi(app, {
    limits: {
      maxRecordingBytes: maxBytes,
      maxRecordingDurationS: maxDurationMs / 1000,
      idleTimeoutS: idleTimeoutMs / 1000,
      jsonBodyBytes: deps.bodyLimitBytes ?? 64 * 1024,
      maxFrameBytes: deps.documentedLimits?.maxFrameBytes,
      rateLimitPerMinute: deps.documentedLimits?.rateLimitPerMinute,
      playbackUrlTtlS: deps.playback?.ttlSeconds,
    },
    publicUrl: deps.playback?.publicUrl ?? null,
    metrics: deps.metrics !== undefined,
  })

  app.onError((error, c) => {
    if (problemStatus(error) >= 500) {
      logger.error(
        { err: error, requestId: c.get('requestId'), method: c.req.method, path: c.req.path },
        'request error',
      )
    }
    return problemResponse(c, error)
  })
  app.notFound(notFoundProblem({ routes: () => app.routes }))
  if (deps.hotReads !== false) {
    app.fetch = hotReads(
      {
        service,
        authenticator,
        quota: { limiter: rateLimiter, logger, onStoreDown: deps.rateLimitOnStoreDown ?? 'open' },
        logger,
        metrics: deps.metrics,
        corsOrigin: corsOrigins,
        corsExpose: CORS_EXPOSE_HEADERS.join(','),
      },
      app.fetch,
    )
  }
  return app
}
