import { WebSocket } from 'ws'

export interface ServerMessage {
  readonly type: string
  readonly offset?: number
  readonly code?: string
  readonly recording?: Record<string, unknown>
}

/** A test-side WebSocket that records every message and the close code. */
export class TestSocket {
  readonly socket: WebSocket
  readonly messages: ServerMessage[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  readonly #waiters = new Set<() => void>()

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers })
    this.socket.on('message', (data, isBinary) => {
      if (!isBinary) this.messages.push(JSON.parse(data.toString()) as ServerMessage)
      for (const wake of this.#waiters) wake()
    })
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
        for (const wake of this.#waiters) wake()
      })
    })
    this.socket.on('error', () => {})
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState === WebSocket.OPEN) return resolve()
      this.socket.once('open', () => resolve())
      this.socket.once('error', reject)
    })
  }

  /** The first message matching `match` (already received or still to come). */
  async next(match: (m: ServerMessage) => boolean, timeoutMs = 15_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.messages.find(match)
      if (found) return found
      if (this.socket.readyState === WebSocket.CLOSED)
        throw new Error(`closed without it; got ${JSON.stringify(this.messages)}`)
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.messages)}`)
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#waiters.delete(wake)
          resolve()
        }
        this.#waiters.add(wake)
        setTimeout(wake, 50)
      })
    }
  }

  ofType(type: string, timeoutMs?: number): Promise<ServerMessage> {
    return this.next((m) => m.type === type, timeoutMs)
  }

  /** Waits until an ack covers `offset`. */
  ackedAtLeast(offset: number): Promise<ServerMessage> {
    return this.next((m) => m.type === 'ack' && (m.offset ?? 0) >= offset)
  }

  lastAck(): number {
    return Math.max(0, ...this.messages.filter((m) => m.type === 'ack').map((m) => m.offset ?? 0))
  }

  send(data: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(data, (error) => (error ? reject(error) : resolve())),
    )
  }

  close(): void {
    this.socket.close()
  }
}
