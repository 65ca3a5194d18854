// The public surface: what apps/server (or another launcher) needs to serve the API. Everything
// else (routes, middleware, problem table, auth helpers) is internal to the package.
export type { HttpDeps } from './app.js'
export type { Authenticator } from './auth/authenticator.js'
export { JoseAuthenticator, type JoseAuthenticatorOptions } from './auth/jose-authenticator.js'
export type { AppEnv } from './env.js'
export { createHttpServer, type HttpServer, type HttpServerDeps } from './http-server.js'
export { MeteredEventBus } from './metrics/metered-event-bus.js'
export {
  type FinalStatus,
  type JanitorOutcome,
  type MetricSources,
  ServiceMetrics,
} from './metrics/service-metrics.js'
export {
  InProcessRateLimiter,
  type InProcessRateLimiterOptions,
} from './rate-limit/in-process-rate-limiter.js'
export type { CheckState, ReadinessReport } from './routes/health-routes.js'
export { type ReadinessCheck, runReadinessChecks } from './routes/readiness-checks.js'
export { CLOSE } from './ws/close-codes.js'
export { StreamRegistry } from './ws/stream-registry.js'
