import { describe, expect, it } from 'vitest'
import { ByteQueue } from '../src/byte-queue.js'

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)

describe('ByteQueue', () => {
  it('takes the first bytes as their pieces without copying, cutting the piece that straddles the end', () => {
    const a = bytes(1, 2, 3)
    const b = bytes(4, 5, 6)
    const q = new ByteQueue()
    q.push(a)
    q.push(new Uint8Array(0))
    q.push(b)
    const taken = q.takeChunks(4)
    expect(taken.map((c) => [...c])).toEqual([[1, 2, 3], [4]])
    expect(taken[0]?.buffer).toBe(a.buffer)
    expect(taken[1]?.buffer).toBe(b.buffer)
    expect(q.size).toBe(2)
    expect([...q.take(2)]).toEqual([5, 6])
    expect(q.size).toBe(0)
  })

  it('takes nothing for zero bytes, and copies what `take` returns', () => {
    const a = bytes(1, 2)
    const q = new ByteQueue()
    q.push(a)
    expect(q.takeChunks(0)).toEqual([])
    const out = q.take(2)
    a[0] = 9
    expect([...out]).toEqual([1, 2])
  })
})
