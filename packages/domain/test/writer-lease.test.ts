import { describe, expect, it } from 'vitest'
import { WriterFencedError } from '../src/errors.js'
import { MemoryCache } from '../src/in-process/memory-cache.js'
import { MemoryEventBus } from '../src/in-process/memory-event-bus.js'
import type { HandoffOutcome, WriterHandoff } from '../src/ports/writer-handoff.js'
import { RecordingService } from '../src/recording-service.js'
import { ManualClock } from '../src/testing/manual-clock.js'
import { MemoryBlobStore } from '../src/testing/memory-blob-store.js'
import { MemoryRecordingRepo } from '../src/testing/memory-recording-repo.js'
import { MemoryWriterLease } from '../src/testing/memory-writer-lease.js'
import { bytes, makeService, sha256, uuid } from './service-fixture.js'

const alice = uuid(1)

/** Two services on one repository, blob store and lease: two instances of the service. */
function twoInstances(handoff: WriterHandoff | null = null) {
  const clock = new ManualClock()
  const repo = new MemoryRecordingRepo()
  const lease = new MemoryWriterLease()
  const blobs = new MemoryBlobStore(sha256, lease)
  let next = 1000
  const warnings: [string, Record<string, unknown>][] = []
  const make = () =>
    new RecordingService({
      repo,
      blobs,
      lease,
      handoff,
      cache: new MemoryCache(clock),
      events: new MemoryEventBus(),
      clock,
      ids: { newId: () => uuid(next++) },
      logger: { warn: (message, details) => warnings.push([message, details]) },
      limits: { maxBytes: 1000, maxDurationMs: 3_600_000, idleTimeoutMs: 300_000 },
    })
  return { a: make(), b: make(), lease, blobs, warnings }
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

  it('asks the stream holding the lease elsewhere to let go before taking it, so ready covers what it stored', async () => {
    const steps: string[] = []
    let pending: (() => Promise<unknown>) | null = null
    const handoff: WriterHandoff = {
      async release(key): Promise<HandoffOutcome> {
        steps.push(`release ${key}`)
        // The old writer stores what it queued while its token is still the newest.
        await pending?.()
        return 'released'
      },
    }
    const { a, b, lease } = twoInstances(handoff)
    const { recording } = await a.start({ userId: alice, sessionId: uuid(3) })
    const first = await a.attach(alice, recording.id)
    steps.length = 0
    pending = () =>
      a.append({ userId: alice, id: recording.id, offset: 0, body: bytes(7), fence: first.fence })
    const second = await b.attach(alice, recording.id)
    expect(steps).toEqual([`release ${recording.id}`])
    expect(second).toMatchObject({ offset: 7, fence: 2 })
    expect(await lease.current(recording.id)).toBe(2)
  })

  it('takes the lease anyway when the handoff gets no answer, and says so', async () => {
    const { b, lease, warnings } = twoInstances({ release: async () => 'timed-out' })
    const { recording } = await b.start({ userId: alice, sessionId: uuid(4) })
    expect((await b.attach(alice, recording.id)).fence).toBe(1)
    expect(await lease.current(recording.id)).toBe(1)
    expect(warnings).toEqual([
      [
        'writer handoff got no answer: the lease is taken anyway',
        { recordingId: recording.id, outcome: 'timed-out' },
      ],
    ])
  })

  it('makes a take wait for a guarded write under the old token, and refuses guarded writes after it', async () => {
    const lease = new MemoryWriterLease()
    const key = uuid(9)
    const fence = await lease.take(key)
    const order: string[] = []
    let finish = (): void => {}
    const write = lease.guard(key, fence, async () => {
      order.push('write started')
      await new Promise<void>((resolve) => {
        finish = resolve
      })
      order.push('write done')
      return 1
    })
    const taken = lease.take(key).then((token) => order.push(`taken ${token}`))
    await Promise.resolve()
    finish()
    await Promise.all([write, taken])
    expect(order).toEqual(['write started', 'write done', 'taken 2'])
    await expect(lease.guard(key, fence, async () => order.push('stale write'))).rejects.toBeInstanceOf(
      WriterFencedError,
    )
    expect(order).not.toContain('stale write')
  })
})
