import type { Server } from 'node:http'
import type { StreamRegistry } from '@rec/adapters-http'
import { WebSocket, type WebSocketServer } from 'ws'

export interface GracefulCloseOptions {
  readonly server: Server
  readonly wss: WebSocketServer
  readonly streams: StreamRegistry
  /** Longest wait for streams to store their pending writes. */
  readonly drainMs?: number
  /** Longest wait for in-flight HTTP requests and close handshakes after that. */
  readonly lingerMs?: number
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })

/**
 * SPEC §8 for the network side, in order: stop accepting; close every ingest stream with 1001
 * once its pending writes are stored (the recordings stay `recording`, resumable); close the other
 * WebSockets with 1001; let in-flight requests finish; then cut whatever is left, so the whole
 * stays well inside the 10 s a process gets.
 */
export async function closeGracefully(options: GracefulCloseOptions): Promise<void> {
  const { server, wss, streams, drainMs = 5_000, lingerMs = 2_000 } = options
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  await within(streams.closeAll(1001, 'server shutting down'), drainMs)
  for (const client of wss.clients) client.close(1001, 'server shutting down')
  const handshakes = [...wss.clients].map(
    (client) =>
      new Promise<void>((resolve) => {
        if (client.readyState === WebSocket.CLOSED) resolve()
        else client.once('close', () => resolve())
      }),
  )
  await within(Promise.all(handshakes), lingerMs)
  for (const client of wss.clients) client.terminate()
  server.closeIdleConnections()
  await within(closed, lingerMs)
  server.closeAllConnections()
  await closed
}
