import type { RateLimitDecision, RateLimiter } from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'
import { GCRA_SCRIPT } from './gcra-script.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'
import { luaScript, runScript, type ScriptCommands } from './run-script.js'

export type { ScriptCommands } from './run-script.js'

export interface RedisRateLimiterOptions {
  readonly perMinute: number
  /** Key namespace; default `rec:v1`. */
  readonly namespace?: string
  /** Longest a check waits for Redis. Default 500 ms. */
  readonly timeoutMs?: number
  /** Shared with the other adapters on the connection: fails calls fast while Redis hangs. */
  readonly breaker?: CircuitBreaker
}

const WINDOW_MS = 60_000
const GCRA = luaScript(GCRA_SCRIPT)

/**
 * GCRA shared by every instance: one EVALSHA per request (EVAL once after Redis lost its script
 * cache, e.g. after a restart). Rejects with DependencyUnavailableError when Redis does not
 * answer; the HTTP layer then applies RATE_LIMIT_ON_REDIS_DOWN.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: ScriptCommands
  readonly #limit: number
  readonly #intervalMs: number
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #breaker: CircuitBreaker | null

  constructor(
    redis: ScriptCommands,
    { perMinute, namespace = 'rec:v1', timeoutMs, breaker }: RedisRateLimiterOptions,
  ) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error('perMinute must be a positive integer')
    this.#redis = redis
    this.#limit = perMinute
    this.#intervalMs = WINDOW_MS / perMinute
    this.#prefix = `${namespace}:ratelimit:`
    this.#timeoutMs = timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.#breaker = breaker ?? null
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const options = { keys: [this.#prefix + key], arguments: [String(this.#intervalMs), String(WINDOW_MS)] }
    const reply = await viaRedis(() => runScript(this.#redis, GCRA, options), this.#timeoutMs, this.#breaker)
    const [allowed, remaining, resetSeconds] = Array.isArray(reply) ? reply.map(Number) : []
    if (allowed === undefined || remaining === undefined || resetSeconds === undefined) {
      throw new Error(`unexpected rate limit reply: ${JSON.stringify(reply)}`)
    }
    return { allowed: allowed === 1, limit: this.#limit, remaining, resetSeconds }
  }
}
