import { createHash } from 'node:crypto'
import { GCRA_SCRIPT } from './gcra-script.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'

/** The decision shape of @rec/adapters-http's RateLimiter port (structurally the same type). */
export interface RateLimitDecision {
  readonly allowed: boolean
  readonly limit: number
  readonly remaining: number
  readonly resetSeconds: number
}

type ScriptOptions = { keys: string[]; arguments: string[] }

/** The commands RedisRateLimiter sends; a node-redis client satisfies it. */
export interface ScriptCommands {
  evalSha(sha: string, options: ScriptOptions): Promise<unknown>
  eval(script: string, options: ScriptOptions): Promise<unknown>
}

export interface RedisRateLimiterOptions {
  readonly perMinute: number
  /** Key namespace; default `rec:v1`. */
  readonly namespace?: string
  /** Longest a check waits for Redis. Default 500 ms. */
  readonly timeoutMs?: number
}

const WINDOW_MS = 60_000
const SHA = createHash('sha1').update(GCRA_SCRIPT).digest('hex')

/**
 * GCRA shared by every instance: one EVALSHA per request (EVAL once after Redis lost its script
 * cache, e.g. after a restart). Rejects with DependencyUnavailableError when Redis does not
 * answer; the HTTP layer then applies RATE_LIMIT_ON_REDIS_DOWN.
 */
export class RedisRateLimiter {
  readonly #redis: ScriptCommands
  readonly #limit: number
  readonly #intervalMs: number
  readonly #prefix: string
  readonly #timeoutMs: number

  constructor(
    redis: ScriptCommands,
    { perMinute, namespace = 'rec:v1', timeoutMs }: RedisRateLimiterOptions,
  ) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error('perMinute must be a positive integer')
    this.#redis = redis
    this.#limit = perMinute
    this.#intervalMs = WINDOW_MS / perMinute
    this.#prefix = `${namespace}:ratelimit:`
    this.#timeoutMs = timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const options = { keys: [this.#prefix + key], arguments: [String(this.#intervalMs), String(WINDOW_MS)] }
    const reply = await viaRedis(
      () =>
        this.#redis.evalSha(SHA, options).catch((error: unknown) => {
          // Redis forgot the script (a restart, SCRIPT FLUSH): EVAL runs and caches it again.
          if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
            return this.#redis.eval(GCRA_SCRIPT, options)
          }
          throw error
        }),
      this.#timeoutMs,
    )
    const [allowed, remaining, resetSeconds] = Array.isArray(reply) ? reply.map(Number) : []
    if (allowed === undefined || remaining === undefined || resetSeconds === undefined) {
      throw new Error(`unexpected rate limit reply: ${JSON.stringify(reply)}`)
    }
    return { allowed: allowed === 1, limit: this.#limit, remaining, resetSeconds }
  }
}
