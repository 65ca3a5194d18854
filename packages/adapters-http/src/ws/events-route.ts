import type { EventBus, Recording, Unsubscribe } from '@rec/domain'
import { Hono } from 'hono'
import { WebSocket } from 'ws'
import type { AppEnv, WebSocketLogFields } from '../env.js'
import { deferRequestLog } from '../middleware/request-log.js'
import { CLOSE } from './close-codes.js'
import { keepAlive } from './keep-alive.js'
import type { SocketQuota } from './socket-quota.js'
import { wsToken } from './stream-route.js'
import type { SocketOpener, WebSocketUpgrades } from './web-socket-upgrades.js'
import { acquireOrRefuse, ignore, refuse } from './ws-socket.js'

export interface EventsDeps {
  readonly events: EventBus
  /** Open event sockets per user (SPEC §6.9). */
  readonly quota: SocketQuota
  readonly upgrades: WebSocketUpgrades
  readonly authenticate: (token: string) => Promise<string | null>
  readonly present: (recording: Recording) => unknown
  readonly pingIntervalMs?: number
  /** A subscriber this far behind is dropped rather than buffered without bound. */
  readonly maxBufferedBytes?: number
}

/** `GET /events`: the caller's recording events, live (SPEC §7). */
export function createEventsRoutes(deps: EventsDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get(
    '/events',
    deps.upgrades.route(async (c) => {
      const token = wsToken(c.req.header('authorization'), c.req.query('token'))
      const userId = token ? await deps.authenticate(token) : null
      return eventsOpener(deps, userId, deferRequestLog(c))
    }),
  )
}

/** What runs once the socket is open; outside the route's scope, like the stream's (stream-route.ts). */
function eventsOpener(
  deps: EventsDeps,
  userId: string | null,
  logClosed: (fields: WebSocketLogFields) => void,
): SocketOpener {
  const { pingIntervalMs = 30_000, maxBufferedBytes = 4 * 1024 * 1024 } = deps
  return (raw) => {
    let unsubscribe: Promise<Unsubscribe> | null = null
    let stopKeepAlive = (): void => {}
    let release = (): void => {}
    let stopWatching = (): void => {}
    raw.on('error', ignore)
    raw.on('close', (code: number) => {
      logClosed({ closeCode: code, userId })
      release()
      stopKeepAlive()
      stopWatching()
      void unsubscribe?.then((stop) => stop()).catch(ignore)
    })
    if (!userId) return refuse(raw, CLOSE.unauthorized, 'UNAUTHORIZED', 'a valid token is required')
    const acquired = acquireOrRefuse(deps.quota, userId, raw)
    if (!acquired) return
    release = acquired
    stopKeepAlive = keepAlive(raw, pingIntervalMs)
    // Events lost in transit (Redis down) are never silent: 1013 makes clients reconnect and
    // re-read; while Redis stays down the new subscription is refused with 1013 too.
    stopWatching = deps.events.onInterrupted(() =>
      refuse(raw, CLOSE.tryAgainLater, 'DEPENDENCY_UNAVAILABLE', 'live events were interrupted; reconnect'),
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
  }
}
