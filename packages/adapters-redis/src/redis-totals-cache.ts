import { randomUUID } from 'node:crypto'
import { type CachedTotal, normaliseId, type TotalsCache } from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'
import { luaScript, runScript, type ScriptCommands } from './run-script.js'

/** The commands RedisTotalsCache sends; a node-redis client satisfies it. */
export interface TotalsCommands extends ScriptCommands {
  hmGet(key: string, fields: string[]): Promise<unknown>
}

export interface RedisTotalsCacheOptions {
  /** Key namespace; default `rec:v1`. */
  readonly namespace?: string
  /** Longest a call waits for Redis. Default 500 ms. */
  readonly timeoutMs?: number
  /** Shared with the other adapters on the connection: fails calls fast while Redis hangs. */
  readonly breaker?: CircuitBreaker
}

// One hash per user: field `g` is the generation, every other field a filter's total. A total is
// kept only while `g` still has the value its reader saw before counting.
// KEYS[1] the hash; ARGV generation, filter, total, ttl (ms). The hash's lifetime is set once, by
// `forget` or the first `set` after none, so no total outlives the ttl by being refreshed.
const SET_SCRIPT = `
if (redis.call('HGET', KEYS[1], 'g') or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
`
// KEYS[1] the hash; ARGV a new, never reused generation and the ttl (ms).
const FORGET_SCRIPT = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'g', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`
const SCRIPTS = { set: luaScript(SET_SCRIPT), forget: luaScript(FORGET_SCRIPT) } as const

/** How long a forgotten user's generation is kept: far longer than any count takes. */
const FORGET_TTL_MS = 60_000

/**
 * List totals shared by every instance: a write on one instance forgets the user's totals for
 * all. A read is one HMGET; a fill and a forget are one script each.
 */
export class RedisTotalsCache implements TotalsCache {
  readonly #redis: TotalsCommands
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #breaker: CircuitBreaker | null

  constructor(
    redis: TotalsCommands,
    { namespace = 'rec:v1', timeoutMs, breaker }: RedisTotalsCacheOptions = {},
  ) {
    this.#redis = redis
    this.#prefix = `${namespace}:totals:`
    this.#timeoutMs = timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.#breaker = breaker ?? null
  }

  async get(userId: string, filter: string): Promise<CachedTotal> {
    const reply = await viaRedis(
      () => this.#redis.hmGet(this.#key(userId), ['g', filter]),
      this.#timeoutMs,
      this.#breaker,
    )
    const [generation, total] = Array.isArray(reply) ? reply : []
    const parsed = typeof total === 'string' ? Number(total) : Number.NaN
    return {
      generation: typeof generation === 'string' ? generation : '',
      total: Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : null,
    }
  }

  async set(
    userId: string,
    filter: string,
    generation: string,
    total: number,
    ttlSeconds: number,
  ): Promise<void> {
    const ttl = String(Math.max(1, Math.ceil(ttlSeconds * 1000)))
    await this.#run('set', this.#key(userId), [generation, filter, String(total), ttl])
  }

  async forget(userId: string): Promise<void> {
    await this.#run('forget', this.#key(userId), [randomUUID(), String(FORGET_TTL_MS)])
  }

  async #run(name: keyof typeof SCRIPTS, key: string, args: string[]): Promise<void> {
    await viaRedis(
      () => runScript(this.#redis, SCRIPTS[name], { keys: [key], arguments: args }),
      this.#timeoutMs,
      this.#breaker,
    )
  }

  #key(userId: string): string {
    return this.#prefix + normaliseId(userId)
  }
}
