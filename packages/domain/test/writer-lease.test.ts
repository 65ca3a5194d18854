import { describe, expect, it } from 'vitest'
import { WriterFencedError } from '../src/errors.js'
import { MemoryCache } from '../src/in-process/memory-cache.js'
import { MemoryEventBus } from '../src/in-process/memory-event-bus.js'
import { RecordingService } from '../src/recording-service.js'
import { ManualClock } from '../src/testing/manual-clock.js'
import { MemoryBlobStore } from '../src/testing/memory-blob-store.js'
import { MemoryRecordingRepo } from '../src/testing/memory-recording-repo.js'
import { MemoryWriterLease } from '../src/testing/memory-writer-lease.js'
import { bytes, makeService, sha256, uuid } from './service-fixture.js'

const alice = uuid(1)

/** Two services on one repository, blob store and lease: two instances of the service. */
function twoInstances() {
  const clock = new ManualClock()
  const repo = new MemoryRecordingRepo()
  const lease = new MemoryWriterLease()
  const blobs = new MemoryBlobStore(sha256, lease)
  let next = 1000
  const make = () =>
    new RecordingService({
      repo,
      blobs,
      lease,
      cache: new MemoryCache(clock),
      events: new MemoryEventBus(),
      clock,
      ids: { newId: () => uuid(next++) },
      logger: { warn: () => {} },
      limits: { maxBytes: 1000, maxDurationMs: 3_600_000, idleTimeoutMs: 300_000 },
    })
  return { a: make(), b: make(), lease, blobs }
}

describe('one writer per recording across instances (SPEC §12)', () => {
  it('lets a newer stream on another instance take over: the older one can never append again', async () => {
    const { a, b } = twoInstances()
    const { recording } = await a.start({ userId: alice, sessionId: uuid(3) })
    const first = await a.attach(alice, recording.id)
    expect(first).toMatchObject({ offset: 0, fence: 1 })
    await a.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10), fence: first.fence })
    const second = await b.attach(alice, recording.id)
    expect(second).toMatchObject({ offset: 10, fence: 2 })
    const stale = a.append({
      userId: alice,
      id: recording.id,
      offset: 10,
      body: bytes(5),
      fence: first.fence,
    })
    await expect(stale).rejects.toBeInstanceOf(WriterFencedError)
    await b.append({ userId: alice, id: recording.id, offset: 10, body: bytes(5), fence: second.fence })
    expect((await b.stop(alice, recording.id)).sizeBytes).toBe(15)
  })

  it('makes an upload request a writer too: it takes the lease, and the stream it outdated is refused', async () => {
    const { a, b, lease } = twoInstances()
    const { recording } = await a.start({ userId: alice, sessionId: uuid(3) })
    const stream = await a.attach(alice, recording.id)
    await b.append({ userId: alice, id: recording.id, offset: 0, body: bytes(4), fence: 'take' })
    expect(await lease.current(recording.id)).toBe(2)
    await expect(
      a.append({ userId: alice, id: recording.id, offset: 4, body: bytes(1), fence: stream.fence }),
    ).rejects.toMatchObject({ code: 'WRITER_FENCED', fence: 1 })
    expect((await b.contentState(alice, recording.id)).kind).toBe('uploading')
  })

  it('takes no lease without a WriterLease (one instance): attach says fence null', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3) })
    expect((await service.attach(alice, recording.id)).fence).toBeNull()
    expect(
      (await service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(3), fence: 'take' }))
        .offset,
    ).toBe(3)
  })
})
