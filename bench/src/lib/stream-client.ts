import WebSocket from 'ws'

/** As fast as backpressure allows (at most `inflight` unsent chunks), or a paced real-time stream. */
export type Pace =
  | { readonly kind: 'max'; readonly chunkBytes: number; readonly inflight: number }
  | { readonly kind: 'paced'; readonly bytesPerSecond: number; readonly frameMs: number }

export interface StreamOutcome {
  /** Bytes acked before the sending window closed. */
  readonly ackedInWindow: number
  readonly sent: number
  /** Every sent byte acked within a second of the last send, and no error close. */
  readonly keptUp: boolean
  readonly error: string | null
}

// A zero mask lets `ws` skip masking on the client, so the load generator spends its CPU on
// sending; the server unmasks every frame exactly as it would a browser's.
const zeroMask = (mask: Buffer): void => {
  mask.fill(0)
}

/**
 * One client stream speaking SPEC §6. `latencies` receives, per frame, the ms from sending its
 * last byte to the first ack covering it.
 */
export class IngestStream {
  readonly #ws: WebSocket
  readonly #latencies: number[]
  readonly #frames: { end: number; at: number }[] = []
  #acked = 0
  #sent = 0
  #error: string | null = null
  #onAck: (() => void) | null = null
  readonly #ready: Promise<void>
  readonly #closed: Promise<void>

  constructor(url: string, headers: Record<string, string>, latencies: number[]) {
    this.#latencies = latencies
    this.#ws = new WebSocket(url, { headers, generateMask: zeroMask, perMessageDeflate: false })
    this.#ready = new Promise((resolve, reject) => {
      this.#ws.once('error', reject)
      this.#ws.on('message', (data, isBinary) => {
        if (isBinary) return
        const message = JSON.parse(String(data)) as { type: string; offset?: number; code?: string }
        if (message.type === 'ready') resolve()
        else if (message.type === 'ack') this.#ack(message.offset ?? 0)
        else if (message.type === 'error') this.#error = message.code ?? 'error'
      })
    })
    this.#closed = new Promise((resolve) =>
      this.#ws.once('close', (code) => {
        if (code !== 1000 && this.#error === null) this.#error = `closed ${code}`
        this.#onAck?.()
        resolve()
      }),
    )
  }

  ready(): Promise<void> {
    return this.#ready
  }

  /** Sends for `durationMs`, then waits up to a second for the acks that cover every sent byte. */
  async run(durationMs: number, pace: Pace): Promise<StreamOutcome> {
    const started = performance.now()
    const deadline = started + durationMs
    await (pace.kind === 'max' ? this.#sendMax(deadline, pace) : this.#sendPaced(started, deadline, pace))
    const ackedInWindow = this.#acked
    const lastSend = performance.now()
    while (this.#acked < this.#sent && this.#error === null && performance.now() - lastSend < 1000) {
      await new Promise<void>((resolve) => {
        this.#onAck = resolve
        setTimeout(resolve, 50)
      })
    }
    const keptUp = this.#error === null && this.#acked >= this.#sent
    return { ackedInWindow, sent: this.#sent, keptUp, error: this.#error }
  }

  /** Sends stop and resolves once the server closed (after `completed`). */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send('{"type":"stop"}')
    const timer = setTimeout(() => this.#ws.terminate(), timeoutMs)
    await this.#closed
    clearTimeout(timer)
  }

  #ack(offset: number): void {
    const now = performance.now()
    this.#acked = offset
    let done = 0
    while (done < this.#frames.length && (this.#frames[done]?.end ?? Infinity) <= offset) {
      this.#latencies.push(now - (this.#frames[done]?.at ?? now))
      done++
    }
    if (done > 0) this.#frames.splice(0, done)
    this.#onAck?.()
  }

  #send(chunk: Buffer, done?: () => void): void {
    this.#sent += chunk.byteLength
    // The latency clock starts when the client hands the frame over, as a browser's would.
    this.#frames.push({ end: this.#sent, at: performance.now() })
    this.#ws.send(chunk, { binary: true }, () => done?.())
  }

  #sendMax(deadline: number, pace: Extract<Pace, { kind: 'max' }>): Promise<void> {
    const chunk = Buffer.alloc(pace.chunkBytes, 7)
    let inflight = 0
    return new Promise((resolve) => {
      const pump = (): void => {
        while (inflight < pace.inflight && this.#error === null && performance.now() < deadline) {
          inflight++
          this.#send(chunk, () => {
            inflight--
            pump()
          })
        }
        if (inflight === 0) resolve()
      }
      pump()
    })
  }

  async #sendPaced(started: number, deadline: number, pace: Extract<Pace, { kind: 'paced' }>): Promise<void> {
    const frame = Buffer.alloc(Math.round((pace.bytesPerSecond * pace.frameMs) / 1000), 7)
    // A random phase: real clients do not all send on the same millisecond.
    let next = started + Math.random() * pace.frameMs
    while (next < deadline && this.#error === null) {
      const wait = next - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      this.#send(frame)
      next += pace.frameMs
    }
  }
}
