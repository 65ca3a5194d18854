/**
 * Open WebSockets per user on this instance (SPEC §6.9): `acquire` hands out a release function
 * while the user is under the cap, and null once they hold `max`. Counted per instance: with
 * several instances a user may hold `max` on each.
 */
export class SocketQuota {
  readonly max: number
  readonly #open = new Map<string, number>()

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error('the socket cap must be a positive integer')
    this.max = max
  }

  /** A release function (idempotent) for one more socket of `userId`, or null at the cap. */
  acquire(userId: string): (() => void) | null {
    const open = this.#open.get(userId) ?? 0
    if (open >= this.max) return null
    this.#open.set(userId, open + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.#open.get(userId) ?? 1) - 1
      if (left > 0) this.#open.set(userId, left)
      else this.#open.delete(userId)
    }
  }

  /** Sockets `userId` holds now. */
  held(userId: string): number {
    return this.#open.get(userId) ?? 0
  }
}
