import { randomUUID } from 'node:crypto'
import { type HandoffOutcome, normaliseId, type WriterHandoff } from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'
import type { SubscriberCommands } from './redis-event-bus.js'

/** PUBLISH, whose reply is how many subscribers got the message. */
export interface CountingPublisher {
  publish(channel: string, message: string): Promise<number>
}

/** What an instance did about one handoff, for its log. */
export type HandoffEvent =
  | { readonly kind: 'asked'; readonly key: string; readonly outcome: HandoffOutcome; readonly ms: number }
  | {
      readonly kind: 'served'
      readonly key: string
      readonly from: string
      readonly released: boolean
      readonly ms: number
    }

export interface RedisWriterHandoffOptions {
  readonly publisher: CountingPublisher
  readonly subscriber: SubscriberCommands
  /** This instance's name on the channel; unique per process. */
  readonly instanceId: string
  /**
   * Lets go of this instance's stream of `key`, if any: resolves true once its pending bytes are
   * stored and it is closed (4000), false when there was none.
   */
  readonly onRelease: (key: string) => Promise<boolean>
  /** Longest `release` waits for the other instances' answers. Default 5 s. */
  readonly waitMs?: number
  /** Channel namespace; default `rec:v1`. */
  readonly namespace?: string
  /** Longest one PUBLISH or SUBSCRIBE waits for Redis. Default 500 ms. */
  readonly timeoutMs?: number
  readonly breaker?: CircuitBreaker
  readonly onEvent?: (event: HandoffEvent) => void
}

interface Asked {
  /** Instances that got the request (this one included); Infinity until PUBLISH answered. */
  expected: number
  answers: number
  released: boolean
  readonly done: () => void
}

/**
 * WriterHandoff over Redis pub/sub. A request goes to one channel every instance listens on; each
 * answers on the asker's own channel once it let go of its stream of the key (or had none). PUBLISH
 * says how many instances got the request, so the asker waits for exactly those answers: an
 * instance that died (SIGKILL) is no longer subscribed and is not waited for, and one that hangs
 * costs at most `waitMs`, after which the fencing token refuses it.
 */
export class RedisWriterHandoff implements WriterHandoff {
  readonly #o: RedisWriterHandoffOptions
  readonly #requests: string
  readonly #answers: string
  readonly #timeoutMs: number
  readonly #asked = new Map<string, Asked>()
  #lost = false
  /** Both channels confirmed: until then nobody's answers (nor requests) reach this instance. */
  #subscribed = false

  constructor(options: RedisWriterHandoffOptions) {
    this.#o = options
    const namespace = options.namespace ?? 'rec:v1'
    this.#requests = `${namespace}:handoff`
    this.#answers = `${namespace}:handoff:${options.instanceId}`
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    options.subscriber.on('reconnecting', () => {
      this.#lost = true
    })
    options.subscriber.on('ready', () => {
      this.#lost = false
      if (!this.#subscribed) void this.#subscribe()
    })
  }

  /**
   * Subscribes to the request channel and this instance's answer channel. Never rejects: with
   * Redis down at start-up it subscribes once the connection is ready, and until then `release`
   * says `unavailable` (other instances then cannot reach this one, and the fence stands in).
   */
  async start(): Promise<void> {
    await this.#subscribe()
  }

  async #subscribe(): Promise<void> {
    const { subscriber, breaker } = this.#o
    try {
      await viaRedis(() => subscriber.subscribe(this.#requests, this.#onRequest), this.#timeoutMs, breaker)
      await viaRedis(() => subscriber.subscribe(this.#answers, this.#onAnswer), this.#timeoutMs, breaker)
      this.#subscribed = true
    } catch {
      this.#subscribed = false
    }
  }

  async close(): Promise<void> {
    await this.#o.subscriber.unsubscribe(this.#requests, this.#onRequest).catch(() => {})
    await this.#o.subscriber.unsubscribe(this.#answers, this.#onAnswer).catch(() => {})
  }

  async release(key: string): Promise<HandoffOutcome> {
    const started = Date.now()
    const outcome = await this.#ask(normaliseId(key))
    this.#o.onEvent?.({ kind: 'asked', key, outcome, ms: Date.now() - started })
    return outcome
  }

  async #ask(key: string): Promise<HandoffOutcome> {
    // Deaf to answers while reconnecting: waiting would only ever time out.
    if (this.#lost || !this.#subscribed) return 'unavailable'
    const id = randomUUID()
    let done = (): void => {}
    const finished = new Promise<void>((resolve) => {
      done = resolve
    })
    // Registered before PUBLISH: answers may come before its reply does.
    const asked: Asked = { expected: Number.POSITIVE_INFINITY, answers: 0, released: false, done }
    this.#asked.set(id, asked)
    let timer: NodeJS.Timeout | undefined
    try {
      const message = JSON.stringify({ type: 'release', id, key, from: this.#o.instanceId })
      asked.expected = await viaRedis(
        () => this.#o.publisher.publish(this.#requests, message),
        this.#timeoutMs,
        this.#o.breaker,
      )
      if (asked.answers >= asked.expected) done()
      const timedOut = new Promise<'timed-out'>((resolve) => {
        timer = setTimeout(() => resolve('timed-out'), this.#o.waitMs ?? 5_000)
      })
      if ((await Promise.race([finished, timedOut])) === 'timed-out') return 'timed-out'
      return asked.released ? 'released' : 'none'
    } catch {
      return 'unavailable'
    } finally {
      clearTimeout(timer)
      this.#asked.delete(id)
    }
  }

  readonly #onRequest = (raw: string): void => {
    const request = parse(raw)
    if (request?.type !== 'release') return
    // This instance hears its own request too, and PUBLISH counted it: an answer of nothing.
    if (request.from === this.#o.instanceId) this.#answered(request.id, false)
    else void this.#serve(request.id, request.key, request.from)
  }

  async #serve(id: string, key: string, from: string): Promise<void> {
    const started = Date.now()
    const released = await this.#o.onRelease(key).catch(() => false)
    const answer = JSON.stringify({ type: 'answer', id, released })
    const { namespace = 'rec:v1', breaker } = this.#o
    await viaRedis(
      () => this.#o.publisher.publish(`${namespace}:handoff:${from}`, answer),
      this.#timeoutMs,
      breaker,
    ).catch(() => {})
    this.#o.onEvent?.({ kind: 'served', key, from, released, ms: Date.now() - started })
  }

  readonly #onAnswer = (raw: string): void => {
    const answer = parse(raw)
    if (answer?.type === 'answer') this.#answered(answer.id, answer.released === true)
  }

  #answered(id: string, released: boolean): void {
    const asked = this.#asked.get(id)
    if (!asked) return
    asked.answers++
    asked.released ||= released
    if (asked.answers >= asked.expected) asked.done()
  }
}

type Message =
  | { type: 'release'; id: string; key: string; from: string }
  | { type: 'answer'; id: string; released?: unknown }

/** A message of this protocol, or null for anything else on the channel (another version, garbage). */
function parse(raw: string): Message | null {
  try {
    const value: unknown = JSON.parse(raw)
    if (typeof value !== 'object' || value === null) return null
    const m = value as Record<string, unknown>
    if (typeof m.id !== 'string') return null
    if (m.type === 'answer') return { type: 'answer', id: m.id, released: m.released }
    if (m.type === 'release' && typeof m.key === 'string' && typeof m.from === 'string') {
      return { type: 'release', id: m.id, key: m.key, from: m.from }
    }
    return null
  } catch {
    return null
  }
}
