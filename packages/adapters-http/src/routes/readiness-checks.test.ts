import { describe, expect, it } from 'vitest'
import { runReadinessChecks } from './readiness-checks.js'

describe('runReadinessChecks', () => {
  it('reports ok, a rejection and a check that hangs past the timeout, without waiting for it', async () => {
    const started = performance.now()
    const report = await runReadinessChecks(
      {
        postgres: async () => {},
        redis: () => Promise.reject(new Error('down')),
        storage: () => new Promise(() => {}),
        broken: () => {
          throw new Error('synchronous')
        },
      },
      100,
    )
    expect(report).toEqual({
      checks: { postgres: 'ok', redis: 'failing', storage: 'failing', broken: 'failing' },
    })
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
