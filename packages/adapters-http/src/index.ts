export {
  API_PREFIX,
  createApp,
  type HttpDeps,
  PLAYBACK_PATH,
  type PlaybackDeps,
  WEBSOCKET_PATH,
} from './app.js'
export { authenticate, type RequireUserOptions, requireUser } from './auth/authenticate.js'
// The public surface: what apps/server (or another launcher) needs to serve the API. Everything
// else (routes, middleware, problem table, auth helpers) is internal to the package.
export type { Authenticator } from './auth/authenticator.js'
export { JoseAuthenticator, type JoseAuthenticatorOptions } from './auth/jose-authenticator.js'
export type { AppEnv } from './env.js'
export { createHttpServer, type HttpServer, type HttpServerDeps } from './http-server.js'
export { JobMetrics, type QueueFigures, type WebhookOutcome } from './metrics/job-metrics.js'
export { MeteredEventBus } from './metrics/metered-event-bus.js'
export {
  type FinalStatus,
  type JanitorOutcome,
  type MetricSources,
  ServiceMetrics,
} from './metrics/service-metrics.js'
export { answerClientError } from './node/client-error.js'
export { StrictServerResponse } from './node/strict-server-response.js'
export { contentDisposition, downloadFileName, type NamedMedia } from './playback/content-disposition.js'
export { HmacPlaybackSigner, PLAYBACK_KEY_LABEL } from './playback/hmac-playback-signer.js'
export { ERROR_TABLE, type ErrorCode, problemType } from './problems/error-table.js'
export { type FieldError, HttpProblem } from './problems/http-problem.js'
export { PROBLEM_CONTENT_TYPE, type ProblemBody, problemResponse } from './problems/to-problem.js'
export {
  InProcessRateLimiter,
  type InProcessRateLimiterOptions,
} from './rate-limit/in-process-rate-limiter.js'
export { clientAddress } from './rate-limit/rate-limit.js'
export { createRecorderPageRoutes, type RecorderPageDeps } from './recorder-page/recorder-page-routes.js'
export { loadStaticFiles, type StaticFile } from './recorder-page/static-files.js'
export type { CheckState, ReadinessReport } from './routes/health-routes.js'
export { type ReadinessCheck, runReadinessChecks } from './routes/readiness-checks.js'
export { asQueuedWebhookEvent, type QueuedWebhookEvent, webhookPayload } from './webhooks/webhook-payload.js'
export {
  type DeliveryOutcome,
  type WebhookAttempt,
  WebhookSender,
  type WebhookSenderOptions,
} from './webhooks/webhook-sender.js'
export { CLOSE } from './ws/close-codes.js'
export { StreamRegistry } from './ws/stream-registry.js'
