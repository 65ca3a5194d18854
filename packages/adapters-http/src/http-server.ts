import type { OpenAPIHono } from '@hono/zod-openapi'
import type { EventBus } from '@rec/domain'
import type { WebSocketServer } from 'ws'
import { createApp, type HttpDeps } from './app.js'
import type { AppEnv } from './env.js'
import { mountWebSockets } from './ws/mount-web-sockets.js'
import type { StreamRegistry } from './ws/stream-registry.js'
import { type UpgradeSource, WebSocketUpgrades } from './ws/web-socket-upgrades.js'

export interface HttpServerDeps extends HttpDeps {
  /** Live events for `/api/v1/events`. */
  readonly events: EventBus
  /** The ingest streams attached here (takeover, delete, graceful shutdown). */
  readonly registry: StreamRegistry
  /** Largest WebSocket frame accepted; a larger one closes the stream with 1009. */
  readonly maxFrameBytes: number
  readonly pingIntervalMs?: number
  /** Open stream sockets, and apart from them event sockets, per user on this instance (SPEC §6.9); default 20. */
  readonly maxSocketsPerUser?: number
  /** Media bytes stored by a stream, for metrics. */
  readonly onStored?: (bytes: number) => void
  readonly onAck?: () => void
}

export interface HttpServer {
  /** The REST routes and the WebSocket routes, mounted together: `serve({ fetch: app.fetch })`. */
  readonly app: OpenAPIHono<AppEnv>
  /** The WebSocket server behind the upgrades, for closing its clients on shutdown. */
  readonly wss: WebSocketServer
  /**
   * Routes the node:http server's `upgrade` events through the app to the WebSocket routes; call
   * it once. The socket keeps nothing of the handshake's request or context (ws/web-socket-upgrades.ts).
   */
  injectWebSocket(server: UpgradeSource): void
}

/**
 * The whole HTTP surface of the service: REST (SPEC §5), the ingest stream (§6) and live events
 * (§7) on one Hono app, with the WebSocket upgrade wiring for Node.
 *
 * @example
 * const http = createHttpServer({ service, events, registry, authenticator, rateLimiter, logger, ... })
 * const server = serve({ fetch: http.app.fetch, port: 3000 })
 * http.injectWebSocket(server)
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const app = createApp(deps)
  const upgrades = new WebSocketUpgrades({ maxPayload: deps.maxFrameBytes })
  mountWebSockets(app, {
    service: deps.service,
    events: deps.events,
    registry: deps.registry,
    authenticator: deps.authenticator,
    upgrades,
    logger: deps.logger,
    ...(deps.pingIntervalMs ? { pingIntervalMs: deps.pingIntervalMs } : {}),
    ...(deps.maxSocketsPerUser ? { maxSocketsPerUser: deps.maxSocketsPerUser } : {}),
    ...(deps.onStored ? { onStored: deps.onStored } : {}),
    ...(deps.onAck ? { onAck: deps.onAck } : {}),
  })
  return { app, wss: upgrades.wss, injectWebSocket: (server) => upgrades.listen(server, app.fetch) }
}
