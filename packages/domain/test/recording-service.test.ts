import { describe, expect, it } from 'vitest'
import {
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  OffsetMismatchError,
  RangeNotSatisfiableError,
  RecordingAlreadyActiveError,
  RecordingNotCompletedError,
  RecordingNotFoundError,
  RecordingNotRecordingError,
} from '../src/errors.js'
import { bytes, makeService, sha256, uuid } from './service-fixture.js'

const alice = uuid(1)
const bob = uuid(2)
const session = uuid(3)

describe('RecordingService', () => {
  it('starts, appends, stops with size, checksum and duration', async () => {
    const { service, clock } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: session })
    expect(recording).toMatchObject({ status: 'recording', config: { quality: 'high', format: 'webm' } })
    expect(
      (await service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10, 20) })).offset,
    ).toBe(30)
    clock.advance(2500)
    const done = await service.stop(alice, recording.id)
    const expected = new Uint8Array(30)
    expected.fill(10, 0, 10).fill(20, 10)
    expect(done).toMatchObject({ status: 'completed', sizeBytes: 30, durationMs: 2500, stopReason: 'client' })
    expect(done.checksum).toBe(`sha256:${await sha256(expected)}`)
    expect(await service.stop(alice, recording.id)).toEqual(done)
  })

  it('hides another user’s recording as not found', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: session })
    await expect(service.get(bob, recording.id)).rejects.toBeInstanceOf(RecordingNotFoundError)
    await expect(service.status(bob, recording.id)).rejects.toBeInstanceOf(RecordingNotFoundError)
    await service.status(alice, recording.id) // now cached
    await expect(service.status(bob, recording.id)).rejects.toBeInstanceOf(RecordingNotFoundError)
    await expect(service.stop(bob, recording.id)).rejects.toBeInstanceOf(RecordingNotFoundError)
    await expect(service.delete(bob, recording.id)).rejects.toBeInstanceOf(RecordingNotFoundError)
  })

  it('allows one active recording per session, replays idempotency keys and refuses reuse', async () => {
    const { service } = makeService()
    const first = await service.start({ userId: alice, sessionId: session, idempotencyKey: 'k' })
    const again = await service.start({ userId: alice, sessionId: session, idempotencyKey: 'k' })
    expect(again).toEqual({ recording: first.recording, replayed: true })
    await expect(
      service.start({ userId: alice, sessionId: session, idempotencyKey: 'k', config: { quality: 'low' } }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError)
    await expect(service.start({ userId: alice, sessionId: session })).rejects.toBeInstanceOf(
      RecordingAlreadyActiveError,
    )
  })

  it('rejects an append at the wrong offset with the stored offset', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: session })
    await service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(5) })
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 2, body: bytes(5) }),
    ).rejects.toEqual(new OffsetMismatchError(5, 2))
  })

  it('completes at the size limit, dropping the bytes past it', async () => {
    const { service } = makeService({ maxBytes: 25 })
    const { recording } = await service.start({ userId: alice, sessionId: session })
    const result = await service.append({
      userId: alice,
      id: recording.id,
      offset: 0,
      body: bytes(10, 10, 10),
    })
    expect(result.offset).toBe(25)
    expect(result.completed).toMatchObject({ status: 'completed', stopReason: 'limit_size', sizeBytes: 25 })
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 25, body: bytes(1) }),
    ).rejects.toBeInstanceOf(RecordingNotRecordingError)
  })

  it('completes at the duration limit without storing more', async () => {
    const { service, clock } = makeService({ maxDurationMs: 1000 })
    const { recording } = await service.start({ userId: alice, sessionId: session })
    await service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(3) })
    clock.advance(1000)
    const result = await service.append({ userId: alice, id: recording.id, offset: 3, body: bytes(7) })
    expect(result).toMatchObject({ offset: 3, completed: { stopReason: 'limit_duration', sizeBytes: 3 } })
  })

  it('expires idle recordings: completed with bytes, failed without', async () => {
    const { service, clock } = makeService({ idleTimeoutMs: 60_000 })
    const withBytes = (await service.start({ userId: alice, sessionId: session })).recording
    const empty = (await service.start({ userId: alice, sessionId: uuid(9) })).recording
    await service.append({ userId: alice, id: withBytes.id, offset: 0, body: bytes(4) })
    clock.advance(59_000)
    expect(await service.expire()).toBe(0)
    clock.advance(2_000)
    expect(await service.expire()).toBe(2)
    expect(await service.get(alice, withBytes.id)).toMatchObject({
      status: 'completed',
      stopReason: 'idle_timeout',
    })
    expect(await service.get(alice, empty.id)).toMatchObject({
      status: 'failed',
      failureReason: expect.any(String),
    })
    await expect(service.stop(alice, empty.id)).rejects.toBeInstanceOf(InvalidTransitionError)
  })

  it('serves content ranges of completed recordings only', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: session })
    await service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10) })
    await expect(service.content(alice, recording.id, null)).rejects.toBeInstanceOf(
      RecordingNotCompletedError,
    )
    expect(await service.contentState(alice, recording.id)).toMatchObject({ kind: 'uploading', offset: 10 })
    await service.stop(alice, recording.id)
    expect((await service.content(alice, recording.id, { kind: 'suffix', length: 4 })).range).toEqual({
      start: 6,
      end: 9,
    })
    expect((await service.content(alice, recording.id, { kind: 'from', start: 2, end: 99 })).range).toEqual({
      start: 2,
      end: 9,
    })
    await expect(
      service.content(alice, recording.id, { kind: 'from', start: 10, end: null }),
    ).rejects.toBeInstanceOf(RangeNotSatisfiableError)
  })

  it('keeps what a failed append stored and lets the client resume', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: session })
    async function* dropped(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(7)
      throw new Error('socket closed')
    }
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 0, body: dropped() }),
    ).rejects.toThrow()
    expect((await service.attach(alice, recording.id)).offset).toBe(7)
    expect((await service.get(alice, recording.id)).sizeBytes).toBe(7)
    expect(
      (await service.append({ userId: alice, id: recording.id, offset: 7, body: bytes(3) })).offset,
    ).toBe(10)
  })

  it('waits for an append in flight before stopping', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: session })
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(5)
      await gate
      yield new Uint8Array(5)
    }
    const appending = service.append({ userId: alice, id: recording.id, offset: 0, body: slow() })
    const stopping = service.stop(alice, recording.id)
    release()
    await appending
    expect((await stopping).sizeBytes).toBe(10)
  })

  it('publishes every state change to the owner and keeps going when the cache fails', async () => {
    const { service, events, cache } = makeService()
    const seen: string[] = []
    await events.subscribe(alice, (e) => seen.push(e.recording.status))
    cache.get = async () => {
      throw new Error('cache down')
    }
    const { recording } = await service.start({ userId: alice, sessionId: session })
    expect((await service.status(alice, recording.id)).id).toBe(recording.id)
    await service.stop(alice, recording.id)
    expect(seen).toEqual(['recording', 'stopping', 'completed'])
  })
})
