/** A scripted stand-in for a WebSocket: the test plays the server (ready, ack, close codes). */
export class FakeSocket {
  readonly url: string
  readyState = 0
  bufferedAmount = 0
  binaryType = 'blob'
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  /** Frames the client sent: bytes (copied) and text. */
  readonly frames: (Uint8Array | string)[] = []
  closedByClient: number | null = null

  constructor(url: string) {
    this.url = url
  }

  send(data: string | ArrayBufferView | ArrayBuffer): void {
    if (typeof data === 'string') this.frames.push(data)
    else if (data instanceof ArrayBuffer) this.frames.push(new Uint8Array(data.slice(0)))
    else
      this.frames.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)))
  }

  close(code = 1005): void {
    this.closedByClient = code
    this.readyState = 3
  }

  /** The token the client put in the URL. */
  get token(): string | null {
    return new URL(this.url).searchParams.get('token')
  }

  /** Every binary byte the client sent, in order. */
  get bytes(): Uint8Array {
    const chunks = this.frames.filter((f): f is Uint8Array => typeof f !== 'string')
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
    let at = 0
    for (const c of chunks) {
      out.set(c, at)
      at += c.byteLength
    }
    return out
  }

  /** Text frames the client sent, parsed. */
  get messages(): { type: string }[] {
    return this.frames.filter((f): f is string => typeof f === 'string').map((f) => JSON.parse(f))
  }

  // ─── the server's side ───
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  server(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }

  /** Opens and sends `ready` at `offset`. */
  ready(offset: number): void {
    this.open()
    this.server({ type: 'ready', offset })
  }

  drop(code: number, reason = ''): void {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

/** A WebSocket class whose instances land in `sockets`, for createClient({ WebSocket }). */
export function fakeSockets(): { sockets: FakeSocket[]; WebSocket: new (url: string) => FakeSocket } {
  const sockets: FakeSocket[] = []
  return {
    sockets,
    WebSocket: class extends FakeSocket {
      constructor(url: string) {
        super(url)
        sockets.push(this)
      }
    },
  }
}
