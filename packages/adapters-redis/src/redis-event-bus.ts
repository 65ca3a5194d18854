import {
  DependencyUnavailableError,
  type EventBus,
  normaliseId,
  type RecordingUpdated,
  type Unsubscribe,
} from '@rec/domain'
import type { CircuitBreaker } from './circuit-breaker.js'
import { decodeRecording, encodeRecording } from './recording-json.js'
import { DEFAULT_CALL_TIMEOUT_MS, viaRedis } from './redis-errors.js'

type MessageListener = (message: string, channel: string) => void

/** PUBLISH goes on the command connection. */
export interface PublishCommands {
  publish(channel: string, message: string): Promise<unknown>
}

/** SUBSCRIBE needs a connection of its own; node-redis re-sends its subscriptions on reconnect. */
export interface SubscriberCommands {
  subscribe(channel: string, listener: MessageListener): Promise<void>
  unsubscribe(channel: string, listener: MessageListener): Promise<void>
  /** node-redis emits `reconnecting` when the connection was lost (before each attempt), `ready` once back. */
  on(event: 'reconnecting' | 'ready', listener: () => void): unknown
}

export interface RedisEventBusOptions {
  readonly publisher: PublishCommands
  readonly subscriber: SubscriberCommands
  /** Channel namespace; default `rec:v1`. */
  readonly namespace?: string
  /** Longest PUBLISH or SUBSCRIBE waits for Redis. Default 500 ms. */
  readonly timeoutMs?: number
  /** Shared with the other adapters on the connection: fails calls fast while Redis hangs. */
  readonly breaker?: CircuitBreaker
}

interface UserChannel {
  readonly listeners: Set<(event: RecordingUpdated) => void>
  /** Settles when Redis confirmed the SUBSCRIBE; shared by every listener of the user. */
  readonly subscribed: Promise<void>
}

/**
 * One channel per user (`rec:v1:events:user:<id>`): Redis delivers an event only to the instances
 * that hold a subscriber of its owner, instead of every instance decoding every event and
 * filtering. An instance subscribes when a user's first events client arrives and unsubscribes
 * when the last leaves. Delivery is at most once: events published while Redis is down are lost
 * (clients re-read the recording after reconnecting).
 */
export class RedisEventBus implements EventBus {
  readonly #publisher: PublishCommands
  readonly #subscriber: SubscriberCommands
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #breaker: CircuitBreaker | null
  readonly #channels = new Map<string, UserChannel>()
  readonly #interruptionListeners = new Set<() => void>()
  /** Between a lost subscriber connection and its return: a subscription now would be deaf. */
  #lost = false

  constructor({ publisher, subscriber, namespace = 'rec:v1', timeoutMs, breaker }: RedisEventBusOptions) {
    this.#publisher = publisher
    this.#subscriber = subscriber
    this.#prefix = `${namespace}:events:user:`
    this.#timeoutMs = timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.#breaker = breaker ?? null
    subscriber.on('reconnecting', this.#interrupted)
    subscriber.on('ready', () => {
      this.#lost = false
    })
  }

  onInterrupted(listener: () => void): () => void {
    const wrapped = (): void => listener()
    this.#interruptionListeners.add(wrapped)
    return () => this.#interruptionListeners.delete(wrapped)
  }

  async publish(event: RecordingUpdated): Promise<void> {
    const channel = this.#channel(event.recording.userId)
    await viaRedis(
      () => this.#publisher.publish(channel, encodeRecording(event.recording)),
      this.#timeoutMs,
      this.#breaker,
    )
  }

  async subscribe(userId: string, listener: (event: RecordingUpdated) => void): Promise<Unsubscribe> {
    if (this.#lost)
      throw new DependencyUnavailableError('redis', { cause: new Error('subscriber reconnecting') })
    const key = normaliseId(userId)
    let entry = this.#channels.get(key)
    if (!entry) {
      const subscribed = viaRedis(
        () => this.#subscriber.subscribe(this.#channel(key), this.#onMessage),
        this.#timeoutMs,
        this.#breaker,
      )
      const created: UserChannel = { listeners: new Set(), subscribed }
      // A failed SUBSCRIBE must not stay cached: the next client tries again.
      subscribed.catch(() => {
        if (this.#channels.get(key) === created) this.#channels.delete(key)
      })
      this.#channels.set(key, created)
      entry = created
    }
    const channel = entry
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const deliver = (event: RecordingUpdated): void => listener(event)
    channel.listeners.add(deliver)
    try {
      await channel.subscribed
    } catch (error) {
      channel.listeners.delete(deliver)
      throw error
    }
    return async () => {
      if (!channel.listeners.delete(deliver) || channel.listeners.size > 0) return
      if (this.#channels.get(key) === channel) this.#channels.delete(key)
      // If Redis is down the UNSUBSCRIBE fails; the stale subscription then only costs ignored messages.
      await this.#subscriber.unsubscribe(this.#channel(key), this.#onMessage).catch(() => {})
    }
  }

  /**
   * The subscriber connection was lost: whatever is published until it is back never reaches this
   * instance. Every interruption listener hears it (to tell its clients), and new subscriptions are
   * refused until the connection is ready again. Subscriptions that stay are re-sent by node-redis.
   */
  readonly #interrupted = (): void => {
    this.#lost = true
    for (const listener of [...this.#interruptionListeners]) {
      try {
        listener()
      } catch {
        // One broken listener must not keep the others uninformed.
      }
    }
  }

  readonly #onMessage = (message: string, channel: string): void => {
    const entry = this.#channels.get(channel.slice(this.#prefix.length))
    if (!entry) return
    let event: RecordingUpdated
    try {
      event = { type: 'recording.updated', recording: decodeRecording(message) }
    } catch {
      return // Not ours to crash on: another version's message, or garbage on the channel.
    }
    for (const listener of entry.listeners) {
      try {
        listener(event)
      } catch {
        // One broken listener must not stop delivery to the others.
      }
    }
  }

  #channel(userId: string): string {
    return `${this.#prefix}${normaliseId(userId)}`
  }
}
