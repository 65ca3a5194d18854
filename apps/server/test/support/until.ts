/**
 * Polls `probe` until it resolves with something other than null (a rejection counts as "not
 * yet"), so a test waits on the service's own answer instead of a sleep sized for an idle machine.
 * Rejects after `timeoutMs`.
 */
export async function until<T>(probe: () => Promise<T | null>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => null)
    if (value !== null) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
