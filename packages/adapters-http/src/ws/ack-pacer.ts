/**
 * Paces `ack` frames: at most one per `gapMs` while bytes are stored, and never later than that
 * (SPEC §6 wants one at least every 250 ms while data flows; a small gap keeps acks timely without
 * a frame per batch).
 */
export class AckPacer {
  readonly #send: (offset: number) => void
  readonly #gapMs: number
  #acked = 0
  #pending = 0
  #lastAt = 0
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(send: (offset: number) => void, gapMs: number) {
    this.#send = send
    this.#gapMs = gapMs
  }

  /** The offset the client already knows is stored (its `ready`). */
  start(offset: number): void {
    this.#acked = offset
    this.#pending = offset
  }

  /** Bytes below `offset` are stored: ack them now, or once the gap since the last ack passes. */
  stored(offset: number): void {
    this.#pending = offset
    if (this.#timer || this.#pending === this.#acked) return
    const wait = this.#lastAt + this.#gapMs - Date.now()
    if (wait <= 0) {
      this.flush()
      return
    }
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.flush()
    }, wait)
  }

  /** Sends the ack for what is stored, if it is news (before `completed`, on close). */
  flush(offset = this.#pending): void {
    this.#pending = offset
    if (this.#pending === this.#acked) return
    this.#acked = this.#pending
    this.#lastAt = Date.now()
    this.#send(this.#acked)
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }
}
