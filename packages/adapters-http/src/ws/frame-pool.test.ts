import { describe, expect, it, vi } from 'vitest'
import { FramePool } from './frame-pool.js'

const frame = (size: number, fill: number): Uint8Array => new Uint8Array(size).fill(fill)

describe('FramePool', () => {
  it('copies a frame, so the caller may reuse the original at once', () => {
    const pool = new FramePool()
    const original = frame(1000, 7)
    const copy = pool.copy(original)
    original.fill(0)
    expect(copy).not.toBe(original)
    expect(copy.every((b) => b === 7)).toBe(true)
    expect(copy.byteLength).toBe(1000)
  })

  it('never hands out space of a slab while a copy in it is pending', () => {
    const pool = new FramePool()
    // 256 KiB copies: four fill a 1 MiB slab.
    const held = pool.copy(frame(256 * 1024, 1))
    const others = [
      pool.copy(frame(256 * 1024, 2)),
      pool.copy(frame(256 * 1024, 3)),
      pool.copy(frame(256 * 1024, 4)),
    ]
    pool.release(others)
    // The first slab is full and one copy in it is still pending: a new slab is taken.
    for (let i = 0; i < 8; i++) pool.release([pool.copy(frame(256 * 1024, 9))])
    expect(held.every((b) => b === 1)).toBe(true)
    expect(held.buffer).not.toBe(pool.copy(frame(10, 5)).buffer)
  })

  it('reuses a slab once every copy in it was released', () => {
    const pool = new FramePool()
    const first = [pool.copy(frame(256 * 1024, 1)), pool.copy(frame(256 * 1024, 1))]
    pool.release([pool.copy(frame(256 * 1024, 1)), pool.copy(frame(256 * 1024, 1))])
    const slab = first[0]?.buffer
    pool.release(first)
    // The full slab is drained; the next one taken after it is the same memory.
    const next = pool.copy(frame(256 * 1024, 2))
    expect(next.buffer).toBe(slab)
    expect(next.every((b) => b === 2)).toBe(true)
  })

  it('keeps a frame larger than a quarter slab, and an empty one, as it came', () => {
    const pool = new FramePool()
    const large = frame(256 * 1024 + 1, 3)
    const empty = new Uint8Array(0)
    expect(pool.copy(large)).toBe(large)
    expect(pool.copy(empty)).toBe(empty)
    pool.release([large, empty])
  })

  it('lets go of free slabs left unused over a trim interval, and keeps those in use', () => {
    vi.useFakeTimers()
    try {
      const pool = new FramePool()
      // A burst: 12 slabs' worth of 256 KiB copies pending at once, then all released.
      const burst = Array.from({ length: 48 }, (_, i) => pool.copy(frame(256 * 1024, i)))
      pool.release(burst)
      const held = pool.freeSlabs
      expect(held).toBeGreaterThanOrEqual(10)
      // Steady traffic takes one slab at a time and gives it back: the rest stay unused.
      for (let round = 0; round < 3; round++) {
        const copies = Array.from({ length: 5 }, () => pool.copy(frame(256 * 1024, 1)))
        pool.release(copies)
        vi.advanceTimersByTime(2000)
      }
      expect(pool.freeSlabs).toBeLessThanOrEqual(2)
      expect(pool.freeSlabs).toBeLessThan(held)
      // Idle: the last ones go too, and the timer stops.
      vi.advanceTimersByTime(4000)
      expect(pool.freeSlabs).toBe(0)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})
