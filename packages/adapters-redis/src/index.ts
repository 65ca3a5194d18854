export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js'
export { type OpenRedisOptions, openRedis, type RedisClient, type RedisConnection } from './open-redis.js'
export { decodeRecording, encodeRecording } from './recording-json.js'
export { type CacheCommands, RedisCache, type RedisCacheOptions } from './redis-cache.js'
export {
  type PublishCommands,
  RedisEventBus,
  type RedisEventBusOptions,
  type SubscriberCommands,
} from './redis-event-bus.js'
export {
  RedisListVersions,
  type RedisListVersionsOptions,
  type VersionCommands,
} from './redis-list-versions.js'
export {
  RedisRateLimiter,
  type RedisRateLimiterOptions,
  type ScriptCommands,
} from './redis-rate-limiter.js'
export { RedisTotalsCache, type RedisTotalsCacheOptions, type TotalsCommands } from './redis-totals-cache.js'
export {
  type CountingPublisher,
  type HandoffEvent,
  RedisWriterHandoff,
  type RedisWriterHandoffOptions,
} from './redis-writer-handoff.js'
