import type { JanitorOutcome } from '@rec/adapters-http'
import type { Janitor } from '@rec/domain'
import type { Logger } from 'pino'

export interface JanitorLoopOptions {
  readonly janitor: Janitor
  readonly intervalMs: number
  readonly logger: Logger
  readonly onRun: (outcome: JanitorOutcome) => void
}

export interface JanitorLoop {
  /** No new sweep starts; resolves once the one in progress (if any) has finished. */
  stop(): Promise<void>
}

/**
 * Runs the janitor every `intervalMs`, and once a second after start-up so that what a crash left
 * behind is handled at once. Sweeps never overlap on one instance; the JobLock keeps instances apart.
 */
export function startJanitorLoop({ janitor, intervalMs, logger, onRun }: JanitorLoopOptions): JanitorLoop {
  let running: Promise<void> | null = null
  let stopped = false
  const tick = (): void => {
    if (running || stopped) return
    running = janitor
      .run()
      .then(
        (run) => {
          onRun(run.outcome)
          if (run.outcome === 'done' && Object.values(run.report).some((n) => n > 0)) {
            logger.info({ janitor: run.report }, 'janitor sweep')
          }
        },
        (error: unknown) => {
          onRun('failed')
          logger.warn({ err: error }, 'janitor sweep failed')
        },
      )
      .finally(() => {
        running = null
      })
  }
  const timer = setInterval(tick, intervalMs)
  const first = setTimeout(tick, Math.min(intervalMs, 1000))
  timer.unref()
  first.unref()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      clearTimeout(first)
      await running
    },
  }
}
