export interface CircuitBreakerOptions {
  /**
   * Asks Redis whether it answers again (a PING with a deadline); resolves when it does. Called
   * only while the breaker is open, never by a request.
   */
  readonly probe: () => Promise<unknown>
  /** Consecutive failed calls that open the breaker. Default 3. */
  readonly failureThreshold?: number
  /** Pause between two probes while open. Default 500 ms. */
  readonly probeIntervalMs?: number
  /** Told each time the breaker opens (true) or closes (false). Must not throw. */
  readonly onChange?: (open: boolean) => void
}

/**
 * One breaker for every adapter on a Redis connection. A hung Redis (SIGSTOP, a black-holed
 * network) costs each call its whole deadline; after `failureThreshold` calls in a row fail, the
 * breaker opens and calls fail at once, so the service serves from PostgreSQL at its usual
 * latency. While open, a probe in the background asks Redis every `probeIntervalMs`; the first
 * answer closes the breaker. Requests never serve as probes, so none pays for a hung Redis again.
 */
export class CircuitBreaker {
  readonly #probe: () => Promise<unknown>
  readonly #threshold: number
  readonly #intervalMs: number
  readonly #onChange: (open: boolean) => void
  #failures = 0
  #open = false
  #timer: ReturnType<typeof setTimeout> | null = null
  #disposed = false

  constructor({ probe, failureThreshold = 3, probeIntervalMs = 500, onChange }: CircuitBreakerOptions) {
    this.#probe = probe
    this.#threshold = failureThreshold
    this.#intervalMs = probeIntervalMs
    this.#onChange = onChange ?? (() => {})
  }

  /** True while calls fail fast. */
  get isOpen(): boolean {
    return this.#open
  }

  /** A call reached Redis and got its answer. */
  succeeded(): void {
    this.#failures = 0
  }

  /** A call failed to reach Redis (offline, reset, past its deadline). */
  failed(): void {
    this.#failures++
    if (this.#open || this.#disposed || this.#failures < this.#threshold) return
    this.#open = true
    this.#onChange(true)
    this.#scheduleProbe()
  }

  /** Stops probing for good (the connection is closing). */
  dispose(): void {
    this.#disposed = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  #scheduleProbe(): void {
    if (this.#disposed) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#probe().then(
        () => this.#close(),
        () => this.#scheduleProbe(),
      )
    }, this.#intervalMs)
    // A probe must never keep a process alive that has nothing else to do.
    this.#timer.unref?.()
  }

  #close(): void {
    if (this.#disposed || !this.#open) return
    this.#open = false
    this.#failures = 0
    this.#onChange(false)
  }
}
