export interface VerifiedTokensOptions {
  /** Tokens remembered at most; the oldest is forgotten first. */
  readonly max?: number
  /** Longest a verification is trusted again, so a key rotated out at the issuer stops working soon. */
  readonly ttlMs?: number
}

/**
 * Tokens verified lately and whom they name. A client sends the same token on every request, and
 * checking its signature each time (WebCrypto HMAC, an async job) was the largest cost of an
 * authenticated read (bench/RESULTS.md). Keyed by the whole token, signature included, so only a
 * token that passed every check is recognised, and never past its own `exp`.
 */
export class VerifiedTokens {
  readonly #max: number
  readonly #ttlMs: number
  readonly #entries = new Map<string, { readonly userId: string; readonly until: number }>()

  constructor({ max = 10_000, ttlMs = 60_000 }: VerifiedTokensOptions = {}) {
    this.#max = max
    this.#ttlMs = ttlMs
  }

  /** The user of a token verified lately and still valid at `now`, else null. */
  get(token: string, now: number): string | null {
    const entry = this.#entries.get(token)
    if (!entry) return null
    if (entry.until > now) return entry.userId
    this.#entries.delete(token)
    return null
  }

  /** Remembers a token that just passed verification; `exp` is its claim, in seconds. */
  remember(token: string, userId: string, exp: number | undefined, now: number): void {
    const until = Math.min(now + this.#ttlMs, exp === undefined ? Number.POSITIVE_INFINITY : exp * 1000)
    if (until <= now) return
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(token, { userId, until })
  }
}
