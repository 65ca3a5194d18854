import { afterEach, describe, expect, it, vi } from 'vitest'
import { CircuitBreaker } from './circuit-breaker.js'

describe('CircuitBreaker', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('opens after the threshold of consecutive failures; a success in between resets the count', () => {
    const changes: boolean[] = []
    const breaker = new CircuitBreaker({
      probe: () => new Promise(() => {}),
      failureThreshold: 3,
      onChange: (open) => changes.push(open),
    })
    breaker.failed()
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    breaker.failed()
    expect(breaker.isOpen).toBe(false)
    breaker.failed()
    expect(breaker.isOpen).toBe(true)
    breaker.failed()
    expect(changes).toEqual([true])
    breaker.dispose()
  })

  it('probes in the background while open and closes on the first answer', async () => {
    vi.useFakeTimers()
    let answers = false
    let probes = 0
    const changes: boolean[] = []
    const breaker = new CircuitBreaker({
      probe: async () => {
        probes++
        if (!answers) throw new Error('no answer')
      },
      failureThreshold: 1,
      probeIntervalMs: 100,
      onChange: (open) => changes.push(open),
    })
    breaker.failed()
    await vi.advanceTimersByTimeAsync(350)
    expect(probes).toBe(3)
    expect(breaker.isOpen).toBe(true)
    answers = true
    await vi.advanceTimersByTimeAsync(100)
    expect(breaker.isOpen).toBe(false)
    expect(changes).toEqual([true, false])
    await vi.advanceTimersByTimeAsync(1000)
    expect(probes).toBe(4)
  })

  it('stops probing once disposed', async () => {
    vi.useFakeTimers()
    let probes = 0
    const breaker = new CircuitBreaker({
      probe: async () => {
        probes++
        throw new Error('no answer')
      },
      failureThreshold: 1,
      probeIntervalMs: 100,
    })
    breaker.failed()
    await vi.advanceTimersByTimeAsync(250)
    breaker.dispose()
    await vi.advanceTimersByTimeAsync(1000)
    expect(probes).toBe(2)
  })
})
