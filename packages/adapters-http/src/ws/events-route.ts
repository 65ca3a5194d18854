import type { EventBus, Recording, Unsubscribe } from '@rec/domain'
import { Hono } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import { WebSocket } from 'ws'
import { deferRequestLog } from '../middleware/request-log.js'
import { CLOSE } from './close-codes.js'
import { keepAlive } from './keep-alive.js'
import type { SocketQuota } from './socket-quota.js'
import { wsToken } from './stream-route.js'
import { acquireOrRefuse, refuse } from './ws-socket.js'

export interface EventsDeps {
  readonly events: EventBus
  /** Open event sockets per user (SPEC §6.9). */
  readonly quota: SocketQuota
  readonly upgradeWebSocket: UpgradeWebSocket<WebSocket>
  readonly authenticate: (token: string) => Promise<string | null>
  readonly present: (recording: Recording) => unknown
  readonly pingIntervalMs?: number
  /** A subscriber this far behind is dropped rather than buffered without bound. */
  readonly maxBufferedBytes?: number
}

/** `GET /events`: the caller's recording events, live (SPEC §7). */
export function createEventsRoutes(deps: EventsDeps): Hono {
  const { pingIntervalMs = 30_000, maxBufferedBytes = 4 * 1024 * 1024 } = deps
  return new Hono().get(
    '/events',
    deps.upgradeWebSocket(async (c) => {
      const token = wsToken(c.req.header('authorization'), c.req.query('token'))
      const userId = token ? await deps.authenticate(token) : null
      const logClosed = deferRequestLog(c)
      let unsubscribe: Promise<Unsubscribe> | null = null
      let stopKeepAlive = (): void => {}
      let release = (): void => {}
      let stopWatching = (): void => {}
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocket
          if (!userId) return refuse(raw, CLOSE.unauthorized, 'UNAUTHORIZED', 'a valid token is required')
          const acquired = acquireOrRefuse(deps.quota, userId, raw)
          if (!acquired) return
          release = acquired
          stopKeepAlive = keepAlive(raw, pingIntervalMs)
          // Events lost in transit (Redis down) are never silent: 1013 makes clients reconnect and
          // re-read; while Redis stays down the new subscription is refused with 1013 too.
          stopWatching = deps.events.onInterrupted(() =>
            refuse(
              raw,
              CLOSE.tryAgainLater,
              'DEPENDENCY_UNAVAILABLE',
              'live events were interrupted; reconnect',
            ),
          )
          unsubscribe = deps.events.subscribe(userId, (event) => {
            if (raw.readyState !== WebSocket.OPEN) return
            if (raw.bufferedAmount > maxBufferedBytes) return raw.close(CLOSE.tryAgainLater, 'too slow')
            raw.send(JSON.stringify({ type: event.type, recording: deps.present(event.recording) }))
          })
          // `ready` tells the client its subscription is live: events from here on reach it.
          unsubscribe.then(
            () => raw.readyState === WebSocket.OPEN && raw.send(JSON.stringify({ type: 'ready' })),
            () => refuse(raw, CLOSE.tryAgainLater, 'DEPENDENCY_UNAVAILABLE', 'events unavailable'),
          )
        },
        onClose(event) {
          logClosed({ closeCode: event.code, userId })
          release()
          stopKeepAlive()
          stopWatching()
          void unsubscribe?.then((stop) => stop()).catch(() => {})
        },
      }
    }),
  )
}
