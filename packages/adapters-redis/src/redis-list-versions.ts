import { randomUUID } from 'node:crypto'
import { type ListVersions, normaliseId } from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'
import { luaScript, runScript, type ScriptCommands } from './run-script.js'

export interface RedisListVersionsOptions {
  /** Key namespace; default `rec:v1`. */
  readonly namespace?: string
  /** How long a version is kept without a write; past it the next read starts a new one. Default 1 h. */
  readonly ttlMs?: number
  /** Longest a call waits for Redis. Default 500 ms. */
  readonly timeoutMs?: number
  /** Shared with the other adapters on the connection: fails calls fast while Redis hangs. */
  readonly breaker?: CircuitBreaker
}

// KEYS[1] the user's version; ARGV a fresh version and the ttl (ms). A user without one (never
// written, expired, or Redis restarted empty) gets the fresh one: a version is a random UUID and
// is never given twice, so no page cached under an earlier one can match after a key was lost.
const CURRENT = luaScript(`
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`)

/**
 * List versions shared by every instance: a write on one moves the user's version for all, so
 * pages cached on any instance are not served after it. A read is one EVALSHA, a bump one SET.
 */
export class RedisListVersions implements ListVersions {
  readonly #redis: ScriptCommands & VersionCommands
  readonly #prefix: string
  readonly #ttlMs: number
  readonly #timeoutMs: number
  readonly #breaker: CircuitBreaker | null

  constructor(
    redis: ScriptCommands & VersionCommands,
    { namespace = 'rec:v1', ttlMs = 3_600_000, timeoutMs, breaker }: RedisListVersionsOptions = {},
  ) {
    this.#redis = redis
    this.#prefix = `${namespace}:list-version:`
    this.#ttlMs = ttlMs
    this.#timeoutMs = timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.#breaker = breaker ?? null
  }

  async current(userId: string): Promise<string> {
    const options = { keys: [this.#key(userId)], arguments: [randomUUID(), String(this.#ttlMs)] }
    const reply = await viaRedis(
      () => runScript(this.#redis, CURRENT, options),
      this.#timeoutMs,
      this.#breaker,
    )
    if (typeof reply !== 'string') throw new Error(`unexpected list version reply: ${JSON.stringify(reply)}`)
    return reply
  }

  async bump(userId: string): Promise<void> {
    const key = this.#key(userId)
    await viaRedis(
      () => this.#redis.set(key, randomUUID(), { expiration: { type: 'PX', value: this.#ttlMs } }),
      this.#timeoutMs,
      this.#breaker,
    )
  }

  #key(userId: string): string {
    return this.#prefix + normaliseId(userId)
  }
}

/** The commands a bump sends besides scripts; a node-redis client satisfies it. */
export interface VersionCommands {
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>
}
