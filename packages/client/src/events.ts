import type { Recording } from './api-types.js'
import { type BackoffOptions, backoffDelay, isFinalClose } from './backoff.js'
import { parseMessage, type SocketLike } from './socket.js'
import type { Transport } from './transport.js'

export interface EventsOptions {
  /** Each `recording.updated`: a state change, or progress at most once a second. */
  readonly onUpdate: (recording: Recording) => void
  /** Subscribed (again, after a reconnect). */
  readonly onReady?: () => void
  /** About to reconnect after a drop. */
  readonly onReconnecting?: (info: { attempt: number; delayMs: number }) => void
  /** The subscription ended for good (1000 or a 44xx close, e.g. a bad token). */
  readonly onClose?: (info: { code: number; reason: string }) => void
  readonly backoff?: BackoffOptions
}

/** A live subscription; `close()` ends it. */
export interface EventsSubscription {
  close(): void
}

/** Live events (SPEC §7) with auto-reconnect (backoff and jitter) on every close but 1000 and 44xx. */
export function subscribeEvents(transport: Transport, options: EventsOptions): EventsSubscription {
  let socket: SocketLike | null = null
  let closed = false
  let attempt = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const retry = () => {
    attempt += 1
    const delayMs = backoffDelay(attempt, options.backoff)
    options.onReconnecting?.({ attempt, delayMs })
    timer = setTimeout(() => void connect(), delayMs)
  }

  const connect = async () => {
    if (closed) return
    try {
      socket = await transport.socket('/events')
    } catch {
      return retry()
    }
    const current = socket
    if (closed) return current.close(1000)
    current.onmessage = ({ data }) => {
      const message = parseMessage(data)
      if (message?.type === 'ready') {
        attempt = 0
        options.onReady?.()
      } else if (message?.type === 'recording.updated') {
        options.onUpdate(message.recording as Recording)
      }
    }
    current.onerror = () => {}
    current.onclose = ({ code, reason }) => {
      if (closed || current !== socket) return
      if (isFinalClose(code)) {
        closed = true
        options.onClose?.({ code, reason })
      } else retry()
    }
  }

  void connect()
  return {
    close() {
      closed = true
      clearTimeout(timer)
      socket?.close(1000)
    },
  }
}
