import { createClient } from 'redis'
import { CircuitBreaker } from './circuit-breaker.js'
import { viaRedis } from './redis-errors.js'

/** The node-redis client the adapters share (node-redis 6 defaults: RESP3, no scripts registered). */
export type RedisClient = ReturnType<typeof createCommandClient>

export interface OpenRedisOptions {
  /** Told about connection errors (at most one per connection per 10 s); nothing is ever thrown. */
  readonly onError: (error: Error, connection: 'commands' | 'subscriber') => void
  /** Longest `ping` waits for both connections. Default 500 ms (the adapters take their own). */
  readonly commandTimeoutMs?: number
  /**
   * A connection that receives nothing for this long is dropped and reconnected (a hung server, a
   * black-holed network). Each connection PINGs every third of it, so only a dead peer is silent.
   * Default 3000 ms.
   */
  readonly silenceTimeoutMs?: number
  /** Longest one connection attempt may take. Default 1000 ms. */
  readonly connectTimeoutMs?: number
  /** How long `openRedis` waits for the first connection before it returns anyway. Default 2000 ms. */
  readonly initialWaitMs?: number
  /** Ceiling of the reconnect backoff. Default 1000 ms. */
  readonly maxReconnectDelayMs?: number
  /** Told when the circuit breaker opens (true: calls fail fast) and closes (false). */
  readonly onCircuitChange?: (open: boolean) => void
}

export interface RedisConnection {
  /** Commands, scripts and PUBLISH. */
  readonly commands: RedisClient
  /** A connection in subscriber mode (Redis allows nothing else on it). */
  readonly subscriber: RedisClient
  /** One breaker for every adapter on these connections: pass it to each as `breaker`. */
  readonly breaker: CircuitBreaker
  /** Whether the command connection is connected and ready (for `redis_up`). */
  isReady(): boolean
  /** Resolves when both connections answer; rejects within the command timeout otherwise. */
  ping(): Promise<void>
  /** Closes both connections; pending commands are rejected. */
  close(): Promise<void>
}

/**
 * Backoff that never gives up: 50 ms, doubling, capped, with jitter so a fleet does not reconnect
 * in lock-step. Returning a number keeps the client retrying for as long as the process lives.
 */
export function reconnectDelay(retries: number, maxDelayMs: number): number {
  const base = Math.min(maxDelayMs, 50 * 2 ** Math.min(retries, 10))
  return Math.round(base / 2 + Math.random() * (base / 2))
}

/**
 * Connects the command and subscriber connections. Commands fail fast while Redis is unreachable
 * (no offline queue, bounded timeouts), so a dead Redis costs a request milliseconds, not a hang.
 * Start-up does not wait for Redis beyond `initialWaitMs`: the clients keep reconnecting and
 * readiness reports Redis as failing until they do.
 */
export async function openRedis(url: string, options: OpenRedisOptions): Promise<RedisConnection> {
  const { commandTimeoutMs = 500, initialWaitMs = 2000 } = options
  const commands = createCommandClient(url, {
    connectTimeoutMs: options.connectTimeoutMs ?? 1000,
    silenceTimeoutMs: options.silenceTimeoutMs ?? 3000,
    maxDelayMs: options.maxReconnectDelayMs ?? 1000,
  })
  // The subscriber keeps the same fail-fast options; node-redis re-sends its SUBSCRIBEs on reconnect.
  const subscriber = commands.duplicate()
  // Without a listener an 'error' event would crash the process. A client emits one per failed
  // reconnect attempt; reporting one per connection every 10 s keeps an outage from flooding logs.
  for (const [client, name] of [
    [commands, 'commands'],
    [subscriber, 'subscriber'],
  ] as const) {
    let lastReport = 0
    client.on('error', (error: Error) => {
      if (Date.now() - lastReport < 10_000) return
      lastReport = Date.now()
      options.onError(error, name)
    })
    client.on('ready', () => {
      lastReport = 0
    })
  }

  const connected = Promise.all([commands.connect(), subscriber.connect()])
  // Never an unhandled rejection: failures are reported through `onError` and retried.
  connected.catch(() => {})
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    connected.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, initialWaitMs)
    }),
  ])
  clearTimeout(timer)

  const breaker = new CircuitBreaker({
    probe: () => viaRedis(() => commands.ping(), commandTimeoutMs),
    ...(options.onCircuitChange ? { onChange: options.onCircuitChange } : {}),
  })
  return {
    commands,
    subscriber,
    breaker,
    isReady: () => commands.isReady,
    async ping() {
      // RESP3 lets a subscribed connection answer PING too: both sockets are proven alive. While
      // the breaker is open this fails at once: readiness says `redis: failing` without waiting.
      await viaRedis(() => Promise.all([commands.ping(), subscriber.ping()]), commandTimeoutMs, breaker)
    },
    async close() {
      breaker.dispose()
      await Promise.allSettled([closeClient(commands), closeClient(subscriber)])
    },
  }
}

interface ClientTimings {
  readonly connectTimeoutMs: number
  readonly silenceTimeoutMs: number
  readonly maxDelayMs: number
}

function createCommandClient(url: string, timings: ClientTimings) {
  return createClient({
    url,
    // Reject at once while disconnected instead of queueing until Redis returns.
    disableOfflineQueue: true,
    pingInterval: Math.max(100, Math.floor(timings.silenceTimeoutMs / 3)),
    commandsQueueMaxLength: 10_000,
    socket: {
      connectTimeout: timings.connectTimeoutMs,
      socketTimeout: timings.silenceTimeoutMs,
      keepAlive: true,
      reconnectStrategy: (retries: number) => reconnectDelay(retries, timings.maxDelayMs),
    },
  })
}

async function closeClient(client: RedisClient): Promise<void> {
  if (!client.isOpen) return
  // `close` lets pending replies arrive (each bounded by the command timeout); a client that is
  // reconnecting has none, and `destroy` also stops its retries.
  if (client.isReady) await client.close()
  else client.destroy()
}
