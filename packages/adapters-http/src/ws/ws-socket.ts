import { WebSocket } from 'ws'
import type { StreamSocket } from './stream-socket.js'

/** Adapts a `ws` socket to what a session needs; sends and closes on a closing socket are no-ops. */
export function wsStreamSocket(raw: WebSocket): StreamSocket {
  return {
    send: (text) => {
      if (raw.readyState === WebSocket.OPEN) raw.send(text)
    },
    close: (code, reason) => {
      if (raw.readyState === WebSocket.OPEN || raw.readyState === WebSocket.CONNECTING)
        raw.close(code, reason)
    },
    pause: () => raw.pause(),
    resume: () => raw.resume(),
  }
}

/** Sends one error frame and closes: for failures before a session exists (auth, bad id). */
export function refuse(raw: WebSocket, close: number, code: string, message: string): void {
  const socket = wsStreamSocket(raw)
  socket.send(JSON.stringify({ type: 'error', code, message }))
  socket.close(close, code)
}
