import { describe, expect, it } from 'vitest'
import { WRITE_BYTES, WriteBuffers, writeStreamed } from './streamed-body.js'

/** A body of `count` MiB chunks in ONE reused buffer, filled with i + 1 for chunk i; logs each ask. */
function reusingBody(count: number, log: string[]): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(WRITE_BYTES)
  return (async function* () {
    for (let i = 0; i < count; i++) {
      log.push(`read ${i}`)
      buffer.fill(i + 1)
      yield buffer
    }
  })()
}

describe('writeStreamed', () => {
  it('reads the next MiB while the one before is written, and writes what the body yielded even though it reuses its buffer', async () => {
    const log: string[] = []
    const written: number[][] = []
    const pending: (() => void)[] = []
    const write = (chunks: readonly Uint8Array[]): Promise<void> => {
      log.push(`write ${written.length + 1}`)
      // Each write finishes only when the test lets it: reading must go on meanwhile. The bytes
      // are looked at then, as the thread pool would: a chunk reused meanwhile would show.
      return new Promise((resolve) =>
        pending.push(() => {
          const bytes = chunks.flatMap((c) => [...new Set(c)])
          written.push(bytes)
          log.push(`done ${written.length}`)
          resolve()
        }),
      )
    }
    let finished = false
    const done = writeStreamed(reusingBody(3, log), write, new WriteBuffers()).then(() => {
      finished = true
    })
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      pending.shift()?.()
    }
    await done
    // The second chunk is asked for while the first MiB's write is still running.
    expect(log.slice(0, 4)).toEqual(['read 0', 'write 1', 'read 1', 'done 1'])
    expect(written).toEqual([[1], [2], [3]])
  })

  it('stops reading once a write failed and throws that error; what arrived before a body failed is written', async () => {
    const log: string[] = []
    let writes = 0
    const failing = (): Promise<void> => {
      writes++
      return writes === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve()
    }
    await expect(writeStreamed(reusingBody(10, log), failing, new WriteBuffers())).rejects.toThrow(
      'disk full',
    )
    expect(log.filter((l) => l.startsWith('read')).length).toBeLessThanOrEqual(2)
    expect(writes).toBe(1)

    const tail: Uint8Array[] = []
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10).fill(9)
      throw new Error('client went away')
    }
    const keep = async (chunks: readonly Uint8Array[]): Promise<void> => {
      tail.push(...chunks.map((c) => c.slice()))
    }
    await expect(writeStreamed(broken(), keep, new WriteBuffers())).rejects.toThrow('client went away')
    expect(tail).toEqual([new Uint8Array(10).fill(9)])
  })
})
