/**
 * The part of the WHATWG WebSocket the client uses: browsers' and Node 22's global, and the `ws`
 * package's class, all fit.
 */
export interface SocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  binaryType: string
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: unknown) => void) | null
  send(data: string | ArrayBufferView | ArrayBuffer): void
  close(code?: number, reason?: string): void
}

/**
 * A WebSocket class: `globalThis.WebSocket`, or `ws`'s. Typed loosely because the DOM's handler
 * types and `ws`'s differ; the client uses only what SocketLike lists.
 */
export type SocketConstructor = new (url: string) => object

/** `WebSocket.OPEN`. */
export const OPEN = 1

/** A server frame parsed as JSON; null when it is not an object with a string `type`. */
export function parseMessage(data: unknown): ({ type: string } & Record<string, unknown>) | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    return value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string'
      ? (value as { type: string } & Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/** Sends `chunks` as binary frames of at most `frameBytes`; returns the bytes sent. */
export function sendFrames(socket: SocketLike, chunks: readonly Uint8Array[], frameBytes: number): number {
  let sent = 0
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.byteLength; i += frameBytes) socket.send(chunk.subarray(i, i + frameBytes))
    sent += chunk.byteLength
  }
  return sent
}
