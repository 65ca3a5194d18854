import type { EventBus, RecordingService } from '@rec/domain'
import type { Hono } from 'hono'
import type { Logger } from 'pino'
import type { Authenticator } from '../auth/authenticator.js'
import { resolveUser } from '../auth/resolve-user.js'
import type { AppEnv } from '../env.js'
import { toRecordingDto } from '../schemas/recording-schema.js'
import { createEventsRoutes } from './events-route.js'
import { SocketQuota } from './socket-quota.js'
import type { StreamRegistry } from './stream-registry.js'
import { createStreamRoutes } from './stream-route.js'
import type { WebSocketUpgrades } from './web-socket-upgrades.js'

export interface WebSocketDeps {
  readonly service: RecordingService
  readonly events: EventBus
  readonly registry: StreamRegistry
  readonly authenticator: Authenticator
  /** The upgrade path the routes hand their sockets to. */
  readonly upgrades: WebSocketUpgrades
  readonly logger: Logger
  readonly pingIntervalMs?: number
  /** Open streams, and apart from them open event sockets, per user on this instance (SPEC §6.9); default 20. */
  readonly maxSocketsPerUser?: number
  readonly onStored?: (bytes: number) => void
  readonly onAck?: () => void
}

/**
 * Mounts `/api/v1/recordings/:id/stream` and `/api/v1/events`; auth failures become close 4401, a
 * socket past the user's cap close 1008.
 */
export function mountWebSockets<E extends AppEnv>(app: Hono<E>, deps: WebSocketDeps): void {
  const authenticate = async (token: string): Promise<string | null> => {
    const result = await resolveUser(deps.authenticator, token)
    return result.ok ? result.userId : null
  }
  const common = {
    upgrades: deps.upgrades,
    authenticate,
    present: toRecordingDto,
    ...(deps.pingIntervalMs ? { pingIntervalMs: deps.pingIntervalMs } : {}),
  }
  app.route(
    '/api/v1',
    createStreamRoutes({
      ...common,
      service: deps.service,
      registry: deps.registry,
      quota: new SocketQuota(deps.maxSocketsPerUser ?? 20),
      onError: (error) => deps.logger.error({ err: error }, 'stream failed'),
      ...(deps.onStored ? { onStored: deps.onStored } : {}),
      ...(deps.onAck ? { onAck: deps.onAck } : {}),
    }),
  )
  app.route(
    '/api/v1',
    createEventsRoutes({
      ...common,
      events: deps.events,
      quota: new SocketQuota(deps.maxSocketsPerUser ?? 20),
    }),
  )
}
