import { isUuid, normaliseId, type Recording, type RecordingService } from '@rec/domain'
import { Hono } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import type { WebSocket } from 'ws'
import { deferRequestLog } from '../middleware/request-log.js'
import { CLOSE } from './close-codes.js'
import { FramePool } from './frame-pool.js'
import { keepAlive } from './keep-alive.js'
import type { SocketQuota } from './socket-quota.js'
import type { StreamRegistry } from './stream-registry.js'
import { StreamSession } from './stream-session.js'
import { acquireOrRefuse, refuse, wsStreamSocket } from './ws-socket.js'

export interface WsDeps {
  readonly service: RecordingService
  readonly registry: StreamRegistry
  /** Open streams per user (SPEC §6.9). */
  readonly quota: SocketQuota
  readonly upgradeWebSocket: UpgradeWebSocket<WebSocket>
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
export function createStreamRoutes(deps: WsDeps): Hono {
  const { service, registry, pingIntervalMs = 30_000 } = deps
  // One pool for every stream of this app: frames are copied into it as they arrive.
  const frames = new FramePool()
  return new Hono().get(
    '/recordings/:id/stream',
    deps.upgradeWebSocket(async (c) => {
      // Lowercased like the REST ids (UuidSchema): the registry and the domain key on it.
      const id = normaliseId(c.req.param('id') ?? '')
      const token = wsToken(c.req.header('authorization'), c.req.query('token'))
      const userId = token ? await deps.authenticate(token) : null
      const logClosed = deferRequestLog(c)
      let session: StreamSession | null = null
      let stopKeepAlive = (): void => {}
      let release = (): void => {}
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocket
          if (!userId) return refuse(raw, CLOSE.unauthorized, 'UNAUTHORIZED', 'a valid token is required')
          if (!isUuid(id)) return refuse(raw, CLOSE.notFound, 'RECORDING_NOT_FOUND', 'recording not found')
          const acquired = acquireOrRefuse(deps.quota, userId, raw)
          if (!acquired) return
          release = acquired
          const current = new StreamSession({
            service,
            registry,
            socket: wsStreamSocket(raw),
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
          // Frames straight from `ws`, not through the Hono adapter's onMessage: that builds a
          // MessageEvent and copies each binary frame into an ArrayBuffer of its own (3 µs a
          // frame at 2,000 streams, bench/NOTES.md). A binary frame arrives as a Buffer that is
          // a view of the socket's read, kept by reference until it is written. onOpen runs in
          // the same tick the adapter's own buffering listener is attached, so no frame can come
          // before this one listens.
          // With ws' default binaryType ('nodebuffer') every message is one Buffer.
          raw.on('message', (data: Buffer, isBinary: boolean) => {
            if (isBinary) current.onBinary(data)
            else current.onText(data.toString('utf8'))
          })
          stopKeepAlive = keepAlive(raw, pingIntervalMs, () => {
            service.touch(userId, id).catch(() => {})
          })
          void current.open()
        },
        onClose(event) {
          logClosed({ closeCode: event.code, userId })
          release()
          stopKeepAlive()
          session?.onClosed()
        },
      }
    }),
  )
}
