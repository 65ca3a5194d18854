import { WebSocket } from 'ws'
import { CLOSE } from './close-codes.js'
import type { SocketQuota } from './socket-quota.js'
import type { StreamSocket } from './stream-socket.js'

/**
 * Adapts a `ws` socket to what a session needs; sends and closes on a closing socket are no-ops.
 * A class, not an object of four closures: one of these lives as long as each stream.
 */
export class WsStreamSocket implements StreamSocket {
  readonly #raw: WebSocket

  constructor(raw: WebSocket) {
    this.#raw = raw
  }

  send(text: string): void {
    if (this.#raw.readyState === WebSocket.OPEN) this.#raw.send(text)
  }

  close(code: number, reason: string): void {
    const state = this.#raw.readyState
    if (state === WebSocket.OPEN || state === WebSocket.CONNECTING) this.#raw.close(code, reason)
  }

  pause(): void {
    this.#raw.pause()
  }

  resume(): void {
    this.#raw.resume()
  }
}

/** Sends one error frame and closes: for failures before a session exists (auth, bad id). */
export function refuse(raw: WebSocket, close: number, code: string, message: string): void {
  const socket = new WsStreamSocket(raw)
  socket.send(JSON.stringify({ type: 'error', code, message }))
  socket.close(close, code)
}

/** Acquires one of the user's sockets, or refuses this one with 1008 `TOO_MANY_CONNECTIONS` (SPEC §6.9). */
export function acquireOrRefuse(quota: SocketQuota, userId: string, raw: WebSocket): (() => void) | null {
  const release = quota.acquire(userId)
  if (!release) {
    const message = `at most ${quota.max} sockets of this kind per user are open at once`
    refuse(raw, CLOSE.policyViolation, 'TOO_MANY_CONNECTIONS', message)
  }
  return release
}

/**
 * For `ws`' 'error' event, which comes before the close on a protocol error (a frame over
 * maxPayload, bad UTF-8): the close code says it all, and an event without a listener would throw.
 */
export function ignore(): void {}
