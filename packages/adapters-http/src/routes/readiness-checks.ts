import type { CheckState, ReadinessReport } from './health-routes.js'

/** Resolves when a backend answers; rejects (or stays pending) when it does not. */
export type ReadinessCheck = () => Promise<void>

/**
 * Runs every check at once, each bounded by `timeoutMs`: a check that rejects or has not answered
 * in time is `failing`, so a backend that hangs cannot hang the probe that asks about it.
 */
export async function runReadinessChecks(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs = 1000,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckState]> => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<CheckState>((resolve) => {
        timer = setTimeout(() => resolve('failing'), timeoutMs)
      })
      const answered = Promise.resolve()
        .then(check)
        .then(
          (): CheckState => 'ok',
          (): CheckState => 'failing',
        )
      try {
        return [name, await Promise.race([answered, late])]
      } finally {
        clearTimeout(timer)
      }
    }),
  )
  return { checks: Object.fromEntries(entries) }
}
