export { API_PREFIX, createApp, type HttpDeps, WEBSOCKET_PATH } from './app.js'
export { authenticate, type RequireUserOptions, requireUser } from './auth/authenticate.js'
export type { Authenticator } from './auth/authenticator.js'
export {
  InvalidTokenError,
  JoseAuthenticator,
  type JoseAuthenticatorOptions,
} from './auth/jose-authenticator.js'
export { type AuthResult, bearerToken, resolveUser, WWW_AUTHENTICATE } from './auth/resolve-user.js'
export type { AppEnv, AppVariables } from './env.js'
export { JobMetrics, type QueueFigures, type WebhookOutcome } from './metrics/job-metrics.js'
export { MeteredEventBus } from './metrics/metered-event-bus.js'
export {
  type FinalStatus,
  type JanitorOutcome,
  type MetricSources,
  ServiceMetrics,
} from './metrics/service-metrics.js'
export { ERROR_TABLE, type ErrorCode, problemType } from './problems/error-table.js'
export { type FieldError, HttpProblem } from './problems/http-problem.js'
export { PROBLEM_CONTENT_TYPE, type ProblemBody, problemResponse } from './problems/to-problem.js'
export {
  InProcessRateLimiter,
  type InProcessRateLimiterOptions,
} from './rate-limit/in-process-rate-limiter.js'
export { clientAddress } from './rate-limit/rate-limit.js'
export type { RateLimitDecision, RateLimiter } from './rate-limit/rate-limiter.js'
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
export { mountWebSockets, type WebSocketDeps } from './ws/mount-web-sockets.js'
export { StreamRegistry } from './ws/stream-registry.js'
