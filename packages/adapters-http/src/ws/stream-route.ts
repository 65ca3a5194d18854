import { isUuid, normaliseId, type Recording, type RecordingService } from '@rec/domain'
import { Hono } from 'hono'
import type { AppEnv, WebSocketLogFields } from '../env.js'
import { deferRequestLog } from '../middleware/request-log.js'
import { CLOSE } from './close-codes.js'
import { FramePool } from './frame-pool.js'
import { keepAlive } from './keep-alive.js'
import type { SocketQuota } from './socket-quota.js'
import type { StreamRegistry } from './stream-registry.js'
import { StreamSession } from './stream-session.js'
import type { SocketOpener, WebSocketUpgrades } from './web-socket-upgrades.js'
import { acquireOrRefuse, ignore, refuse, WsStreamSocket } from './ws-socket.js'

export interface WsDeps {
  readonly service: RecordingService
  readonly registry: StreamRegistry
  /** Open streams per user (SPEC §6.9). */
  readonly quota: SocketQuota
  readonly upgrades: WebSocketUpgrades
  /** Resolves the user id of a raw token, or null when the token is not valid. */
  readonly authenticate: (token: string) => Promise<string | null>
  readonly present: (recording: Recording) => unknown
  readonly onError: (error: unknown) => void
  readonly highWaterBytes?: number
  readonly ackGapMs?: number
  readonly pingIntervalMs?: number
  readonly onStored?: (bytes: number) => void
  readonly onAck?: () => void
}

/** The token of a WebSocket request: `Authorization: Bearer …`, or `?token=` for browsers. */
export function wsToken(authorization: string | undefined, query: string | undefined): string | null {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1] ?? query ?? null
}

/** `GET /recordings/:id/stream`: real-time ingest (SPEC §6). */
export function createStreamRoutes(deps: WsDeps): Hono<AppEnv> {
  // One pool for every stream of this app: frames are copied into it as they arrive.
  const frames = new FramePool()
  return new Hono<AppEnv>().get(
    '/recordings/:id/stream',
    deps.upgrades.route(async (c) => {
      // Lowercased like the REST ids (UuidSchema): the registry and the domain key on it.
      const id = normaliseId(c.req.param('id') ?? '')
      const token = wsToken(c.req.header('authorization'), c.req.query('token'))
      const userId = token ? await deps.authenticate(token) : null
      return streamOpener(deps, frames, id, userId, deferRequestLog(c))
    }),
  )
}

/**
 * What runs once the socket is open. A function of its own, outside the route's scope: what its
 * closures hold lives as long as the socket, and the handshake's context must not be part of it.
 */
function streamOpener(
  deps: WsDeps,
  frames: FramePool,
  id: string,
  userId: string | null,
  logClosed: (fields: WebSocketLogFields) => void,
): SocketOpener {
  return (raw) => {
    let session: StreamSession | null = null
    let stopKeepAlive = (): void => {}
    let release = (): void => {}
    raw.on('error', ignore)
    raw.on('close', (code: number) => {
      logClosed({ closeCode: code, userId })
      release()
      stopKeepAlive()
      session?.onClosed()
    })
    if (!userId) return refuse(raw, CLOSE.unauthorized, 'UNAUTHORIZED', 'a valid token is required')
    if (!isUuid(id)) return refuse(raw, CLOSE.notFound, 'RECORDING_NOT_FOUND', 'recording not found')
    const acquired = acquireOrRefuse(deps.quota, userId, raw)
    if (!acquired) return
    release = acquired
    const { service } = deps
    const current = new StreamSession({
      service,
      registry: deps.registry,
      socket: new WsStreamSocket(raw),
      recordingId: id,
      userId,
      present: deps.present,
      highWaterBytes: deps.highWaterBytes ?? 4 * 1024 * 1024,
      ackGapMs: deps.ackGapMs ?? 5,
      flushMs: 1000,
      frames,
      onError: deps.onError,
      ...(deps.onStored ? { onStored: deps.onStored } : {}),
      ...(deps.onAck ? { onAck: deps.onAck } : {}),
    })
    session = current
    // Frames straight from `ws` as Buffers (its default binaryType), with no MessageEvent and no
    // ArrayBuffer of their own (3 µs a frame at 2,000 streams, bench/NOTES.md); the session copies
    // each into the frame pool as it comes. Listening from the tick the socket opens, no frame can
    // come before.
    raw.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) current.onBinary(data)
      else current.onText(data.toString('utf8'))
    })
    stopKeepAlive = keepAlive(raw, deps.pingIntervalMs ?? 30_000, () => {
      service.touch(userId, id).catch(ignore)
    })
    void current.open()
  }
}
