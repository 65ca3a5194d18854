import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PartFile } from './part-file.js'

const MiB = 1024 * 1024
const mib = (fill: number) => new Uint8Array(MiB).fill(fill)

describe('PartFile write-back', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'part-file-'))
    // Only the clock the write-back reads is faked: the file system runs for real, and how long
    // its writes take on a busy machine does not move the clock.
    vi.useFakeTimers({ toFake: ['performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
    rmSync(dir, { recursive: true, force: true })
  })
  /** The write-back interval passes. */
  const due = () => vi.advanceTimersByTime(1001)

  it('starts an fdatasync a second after the last one, once a MiB was written, not before', async () => {
    const part = await PartFile.open(join(dir, 'a.part'))
    await part.write([mib(1), mib(2)])
    // Within the first second of the file: none, whatever the size.
    vi.advanceTimersByTime(999)
    for (let i = 3; i <= 9; i++) await part.write([mib(i)])
    expect(part.writeBacks).toBe(0)
    due()
    await part.write([mib(10)])
    expect(part.writeBacks).toBe(1)
    await part.write([new Uint8Array(1000)])
    expect(part.writeBacks).toBe(1)
    // Due again, but under a MiB written since: none until the MiB is there (once the first
    // write-back landed: one at a time per file).
    await part.datasync()
    due()
    await part.write([new Uint8Array(1000)])
    expect(part.writeBacks).toBe(1)
    await part.write([mib(12)])
    expect(part.writeBacks).toBe(2)
    await part.sync()
    await part.close()
    const bytes = readFileSync(join(dir, 'a.part'))
    expect(bytes.byteLength).toBe(11 * MiB + 2000)
    expect(bytes[9 * MiB]).toBe(10)
  })

  it("reports a failed write-back to the next write and to the completion's sync", async () => {
    const probe = await open(join(dir, 'probe'), 'w')
    const handleClass = Object.getPrototypeOf(probe) as { datasync(): Promise<void> }
    await probe.close()
    const failure = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
    vi.spyOn(handleClass, 'datasync').mockRejectedValueOnce(failure)
    const part = await PartFile.open(join(dir, 'b.part'))
    due()
    await part.write([mib(1)])
    expect(part.writeBacks).toBe(1)
    await expect(part.sync()).rejects.toBe(failure)
    await expect(part.write([mib(9)])).rejects.toBe(failure)
    await expect(part.datasync()).rejects.toBe(failure)
    await part.close()
  })
})
