import { createHash } from 'node:crypto'
import { RecordingService } from '@rec/domain'
import {
  ManualClock,
  MemoryBlobStore,
  MemoryCache,
  MemoryEventBus,
  MemoryRecordingRepo,
  SequentialIds,
} from '@rec/domain/memory'
import { describe, expect, it } from 'vitest'
import { recordSource } from '../src/record-source.js'

const user = '00000000-0000-4000-8000-0000000000a1'
const session = '00000000-0000-4000-8000-0000000000b1'

function inMemoryService(maxBytes = 1 << 20) {
  const clock = new ManualClock()
  const repo = new MemoryRecordingRepo()
  const blobs = new MemoryBlobStore()
  const service = new RecordingService({
    repo,
    blobs,
    cache: new MemoryCache(clock),
    events: new MemoryEventBus(),
    clock,
    ids: new SequentialIds(),
    logger: { warn: () => {} },
    limits: { maxBytes, maxDurationMs: 3_600_000, idleTimeoutMs: 300_000 },
  })
  return { service, repo, blobs }
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part
}

const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7919 + n) & 0xff)
const sha256 = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return `sha256:${hash.digest('hex')}`
}

describe('recordSource with the in-memory adapters', () => {
  it('records every byte of the source and completes with its sha256', async () => {
    const { service, blobs } = inMemoryService()
    const parts = [random(1000), random(65_536), random(1)]
    const recording = await recordSource(service, {
      userId: user,
      sessionId: session,
      source: chunks(...parts),
    })
    expect(recording).toMatchObject({ status: 'completed', sizeBytes: 66_537, stopReason: 'client' })
    expect(recording.checksum).toBe(sha256(...parts))
    const stored: Uint8Array[] = []
    for await (const c of await blobs.read(recording.id, null)) stored.push(c)
    expect(sha256(...stored)).toBe(recording.checksum)
  })

  it('leaves the recording resumable with the bytes stored so far when the source fails', async () => {
    const { service, repo } = inMemoryService()
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield random(100)
      throw new Error('the pipe broke')
    }
    await expect(
      recordSource(service, { userId: user, sessionId: session, source: broken() }),
    ).rejects.toThrow('the pipe broke')
    const { items } = await service.list({ userId: user, status: null, sessionId: null, page: 1, limit: 10 })
    expect(items).toHaveLength(1)
    expect(await repo.findById(items[0]?.id ?? '')).toMatchObject({ status: 'recording', sizeBytes: 100 })
  })

  it('completes at the size limit and drops the rest', async () => {
    const { service } = inMemoryService(150)
    const parts = [random(100), random(100)]
    const recording = await recordSource(service, {
      userId: user,
      sessionId: session,
      source: chunks(...parts),
    })
    expect(recording).toMatchObject({ status: 'completed', sizeBytes: 150, stopReason: 'limit_size' })
    expect(recording.checksum).toBe(sha256(parts[0] as Uint8Array, (parts[1] as Uint8Array).subarray(0, 50)))
  })
})
