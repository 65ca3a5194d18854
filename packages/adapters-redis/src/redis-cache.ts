import { type Cache, normaliseId, type Recording } from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'
import { decodeRecording, encodeRecording } from './recording-json.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'

/** The commands RedisCache sends; a node-redis client satisfies it. */
export interface CacheCommands {
  get(key: string): Promise<string | null>
  set(
    key: string,
    value: string,
    options: { expiration: { type: 'EX' | 'PX'; value: number }; condition?: 'NX' },
  ): Promise<unknown>
}

export interface RedisCacheOptions {
  /** Key namespace, versioned so a change of encoding never reads old entries. Default `rec:v1`. */
  readonly namespace?: string
  /** How long after a delete `set` is refused. Default 1000 ms, the domain's progress interval. */
  readonly invalidationMs?: number
  /** Longest a call waits for Redis; past it the call rejects (a miss, for the domain). Default 500 ms. */
  readonly timeoutMs?: number
  /** Shared with the other adapters on the connection: fails calls fast while Redis hangs. */
  readonly breaker?: CircuitBreaker
}

/** Marks a recently invalidated key; never valid JSON, so it can never be mistaken for a copy. */
const TOMBSTONE = '-'

/**
 * Delete-on-write: the domain deletes the copy after every save, and the next read fills it from
 * PostgreSQL with `SET NX`. The delete leaves a short-lived tombstone instead of removing the key,
 * so a read that fetched the old row just before a write cannot put it back afterwards.
 */
export class RedisCache implements Cache {
  readonly #redis: CacheCommands
  readonly #namespace: string
  readonly #invalidationMs: number
  readonly #timeoutMs: number
  readonly #breaker: CircuitBreaker | null

  constructor(redis: CacheCommands, options: RedisCacheOptions = {}) {
    this.#redis = redis
    this.#namespace = options.namespace ?? 'rec:v1'
    this.#invalidationMs = options.invalidationMs ?? 1000
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.#breaker = options.breaker ?? null
  }

  async get(id: string): Promise<Recording | null> {
    const raw = await viaRedis(() => this.#redis.get(this.#key(id)), this.#timeoutMs, this.#breaker)
    if (raw === null || raw === TOMBSTONE) return null
    try {
      return decodeRecording(raw)
    } catch {
      // A corrupt entry is a miss; the next write replaces it.
      return null
    }
  }

  async set(recording: Recording, ttlSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds))
    await viaRedis(
      () =>
        this.#redis.set(this.#key(recording.id), encodeRecording(recording), {
          expiration: { type: 'EX', value: ttl },
          condition: 'NX',
        }),
      this.#timeoutMs,
      this.#breaker,
    )
  }

  async delete(id: string): Promise<void> {
    await viaRedis(
      () =>
        this.#redis.set(this.#key(id), TOMBSTONE, {
          expiration: { type: 'PX', value: this.#invalidationMs },
        }),
      this.#timeoutMs,
      this.#breaker,
    )
  }

  #key(id: string): string {
    return `${this.#namespace}:recording:${normaliseId(id)}`
  }
}
