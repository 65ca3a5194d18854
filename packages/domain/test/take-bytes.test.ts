import { describe, expect, it } from 'vitest'
import { isChunkArray, takeBytes } from '../src/take-bytes.js'

const chunk = (n: number, fill = n): Uint8Array => new Uint8Array(n).fill(fill)
async function* stream(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const n of sizes) yield chunk(n)
}
async function sizes(body: AsyncIterable<Uint8Array> | readonly Uint8Array[]): Promise<number[]> {
  const out: number[] = []
  for await (const c of body) out.push(c.byteLength)
  return out
}

describe('takeBytes', () => {
  it('cuts chunks in memory synchronously, as an array, at the limit', () => {
    const source = [chunk(3), chunk(4), chunk(5)]
    const whole = takeBytes(source, 12)
    expect(whole.body).toBe(source)
    expect(whole.truncated()).toBe(false)
    const cut = takeBytes(source, 9)
    expect(isChunkArray(cut.body)).toBe(true)
    expect(cut.body.map((c) => c.byteLength)).toEqual([3, 4, 2])
    expect(cut.body[2]?.[0]).toBe(5)
    expect(cut.truncated()).toBe(true)
    const atBoundary = takeBytes(source, 7)
    expect(atBoundary.body.map((c) => c.byteLength)).toEqual([3, 4])
    expect(atBoundary.truncated()).toBe(true)
    expect(takeBytes(source, 0).body).toEqual([])
  })

  it('cuts a stream the same way, reading no further than the limit', async () => {
    const cut = takeBytes(stream(3, 4, 5), 9)
    expect(await sizes(cut.body)).toEqual([3, 4, 2])
    expect(cut.truncated()).toBe(true)
    const whole = takeBytes(stream(3, 0, 4), 7)
    expect(await sizes(whole.body)).toEqual([3, 4])
    expect(whole.truncated()).toBe(false)
  })
})
