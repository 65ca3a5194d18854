/** The few things a stream session does with its WebSocket; the route adapts `ws` to it. */
export interface StreamSocket {
  /** Sends a text frame; a no-op once the socket is closing. */
  send(text: string): void
  close(code: number, reason: string): void
  /** Stops reading from the network (backpressure) until `resume`. */
  pause(): void
  resume(): void
}
