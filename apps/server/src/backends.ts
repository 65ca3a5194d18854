import { InProcessRateLimiter } from '@rec/adapters-http'
import {
  type Cache,
  type Clock,
  type EventBus,
  type ListVersions,
  MemoryCache,
  MemoryEventBus,
  MemoryListVersions,
  MemoryTotalsCache,
  type RateLimiter,
  type TotalsCache,
  type WriterHandoff,
} from '@rec/domain'
import type { Logger } from 'pino'
import type { Config } from './config.js'

/** The cache, events and rate limits: Redis when REDIS_URL is set, in-process otherwise. */
export interface Backends {
  readonly cache: Cache
  /** List totals between writes (`pagination.total`). */
  readonly totals: TotalsCache
  /** Users' list versions, under which each instance holds list pages. */
  readonly listVersions: ListVersions
  readonly events: EventBus
  readonly rateLimiter: RateLimiter
  /** What the start-up log names: `in-process`, or `redis` and its host. */
  readonly kind: string
  /** Totals the in-process totals cache holds (for a gauge); null with Redis. */
  readonly totalsHeld: (() => number) | null
  /** Redis connection and circuit-breaker state for /metrics; absent without Redis. */
  readonly redisState?: { readonly up: () => boolean; readonly circuitOpen: () => boolean }
  /**
   * The takeover channel between instances (Redis pub/sub); null without Redis, where one
   * instance has nobody to hand a stream over to. `onRelease` closes this instance's stream of a key.
   */
  readonly openHandoff:
    | ((wiring: HandoffWiring) => Promise<WriterHandoff & { close(): Promise<void> }>)
    | null
  /** Readiness beyond PostgreSQL: `{ redis: 'ok' | 'failing' }` when Redis is in use, else `{}`. */
  readiness(): Promise<Record<string, 'ok' | 'failing'>>
  close(): Promise<void>
}

export interface HandoffWiring {
  readonly instanceId: string
  readonly onRelease: (key: string) => Promise<boolean>
  readonly waitMs: number
}

export async function openBackends(config: Config, logger: Logger, clock: Clock): Promise<Backends> {
  if (!config.REDIS_URL) {
    const totals = new MemoryTotalsCache(clock)
    return {
      cache: new MemoryCache(clock),
      totals,
      listVersions: new MemoryListVersions(),
      totalsHeld: () => totals.size,
      events: new MemoryEventBus(),
      rateLimiter: new InProcessRateLimiter({ perMinute: config.RATE_LIMIT_PER_MIN }),
      kind: 'in-process',
      openHandoff: null,
      readiness: async () => ({}),
      close: async () => {},
    }
  }
  // Loaded only when configured: the Redis client is a tenth of a single instance's start-up.
  const {
    openRedis,
    RedisCache,
    RedisEventBus,
    RedisListVersions,
    RedisRateLimiter,
    RedisTotalsCache,
    RedisWriterHandoff,
  } = await import('@rec/adapters-redis')
  // A dropped connection is logged once per failure and retried by the client; never thrown.
  const redis = await openRedis(config.REDIS_URL, {
    onError: (error, connection) => logger.warn({ err: error, connection }, 'redis connection error'),
    onCircuitChange: (open) =>
      open
        ? logger.warn('redis circuit breaker open: Redis calls fail fast, reads go to PostgreSQL')
        : logger.info('redis circuit breaker closed: Redis answers again'),
  })
  const url = new URL(config.REDIS_URL)
  const { breaker } = redis
  return {
    cache: new RedisCache(redis.commands, { breaker }),
    totals: new RedisTotalsCache(redis.commands, { breaker }),
    listVersions: new RedisListVersions(redis.commands, { breaker }),
    events: new RedisEventBus({ publisher: redis.commands, subscriber: redis.subscriber, breaker }),
    rateLimiter: new RedisRateLimiter(redis.commands, { perMinute: config.RATE_LIMIT_PER_MIN, breaker }),
    kind: `redis (${url.host})`,
    totalsHeld: null,
    openHandoff: async ({ instanceId, onRelease, waitMs }) => {
      const handoff = new RedisWriterHandoff({
        publisher: redis.commands,
        subscriber: redis.subscriber,
        instanceId,
        onRelease,
        waitMs,
        breaker,
        onEvent: (event) =>
          event.kind === 'asked'
            ? logger.info(
                { recordingId: event.key, outcome: event.outcome, waitedMs: event.ms },
                `writer handoff asked: ${event.outcome}`,
              )
            : // Every instance hears every request; only the one that had the stream says so at info.
              logger[event.released ? 'info' : 'debug'](
                { recordingId: event.key, to: event.from, released: event.released, tookMs: event.ms },
                event.released
                  ? 'writer handoff served: stream stored and closed 4000'
                  : 'writer handoff served: no stream here',
              ),
      })
      await handoff.start()
      return handoff
    },
    redisState: { up: () => redis.isReady(), circuitOpen: () => breaker.isOpen },
    readiness: () =>
      redis.ping().then(
        () => ({ redis: 'ok' as const }),
        () => ({ redis: 'failing' as const }),
      ),
    close: () => redis.close(),
  }
}
