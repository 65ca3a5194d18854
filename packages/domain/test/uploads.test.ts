import { describe, expect, it } from 'vitest'
import {
  RecordingNotRecordingError,
  UploadGoneError,
  UploadLengthConflictError,
  UploadTooLargeError,
} from '../src/errors.js'
import { bytes, makeService, sha256, uuid } from './service-fixture.js'

const MIN = 60_000
const alice = uuid(1)

describe('resumable uploads (SPEC §9) in the domain', () => {
  it('completes by itself when the offset reaches the announced length, with the checksum', async () => {
    const fx = makeService()
    const { recording } = await fx.service.start({
      userId: alice,
      sessionId: uuid(2),
      uploadLength: 30,
      name: 'a.webm',
    })
    expect(recording).toMatchObject({ uploadLength: 30, name: 'a.webm', status: 'recording' })
    const first = await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10) })
    expect(first.completed).toBeNull()
    const last = await fx.service.append({ userId: alice, id: recording.id, offset: 10, body: bytes(20) })
    const whole = new Uint8Array([...new Uint8Array(10).fill(10), ...new Uint8Array(20).fill(20)])
    expect(last.completed).toMatchObject({
      status: 'completed',
      stopReason: 'client',
      sizeBytes: 30,
      checksum: `sha256:${await sha256(whole)}`,
    })
  })

  it('never stores past the announced length', async () => {
    const fx = makeService()
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 5 })
    const result = await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(8) })
    expect(result.completed).toMatchObject({ status: 'completed', sizeBytes: 5 })
  })

  it('completes an upload of length 0 at creation', async () => {
    const fx = makeService()
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 0 })
    expect(recording).toMatchObject({ status: 'completed', sizeBytes: 0, stopReason: 'client' })
  })

  it('refuses a length over the size limit', async () => {
    const fx = makeService({ maxBytes: 100 })
    await expect(fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 101 })).rejects.toThrow(
      UploadTooLargeError,
    )
  })

  it('takes a deferred length once, completing when the bytes already reach it', async () => {
    const fx = makeService()
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2) })
    await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10) })
    await expect(fx.service.declareLength(alice, recording.id, 5)).rejects.toThrow(UploadLengthConflictError)
    await expect(fx.service.declareLength(alice, recording.id, 5000)).rejects.toThrow(UploadTooLargeError)
    expect(await fx.service.declareLength(alice, recording.id, 20)).toMatchObject({ uploadLength: 20 })
    expect(await fx.service.declareLength(alice, recording.id, 20)).toMatchObject({ uploadLength: 20 })
    await expect(fx.service.declareLength(alice, recording.id, 21)).rejects.toThrow(UploadLengthConflictError)
    const done = await fx.service.append({ userId: alice, id: recording.id, offset: 10, body: bytes(10) })
    expect(done.completed).toMatchObject({ status: 'completed', sizeBytes: 20 })

    const { recording: other } = await fx.service.start({ userId: alice, sessionId: uuid(3) })
    await fx.service.append({ userId: alice, id: other.id, offset: 0, body: bytes(7) })
    expect(await fx.service.declareLength(alice, other.id, 7)).toMatchObject({
      status: 'completed',
      sizeBytes: 7,
    })
    await expect(fx.service.declareLength(alice, other.id, 7)).rejects.toThrow(RecordingNotRecordingError)
  })

  it('says when an upload expires: last activity plus the idle timeout', async () => {
    const fx = makeService({ idleTimeoutMs: 5 * MIN })
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 30 })
    fx.clock.advance(MIN)
    const appended = await fx.service.append({
      userId: alice,
      id: recording.id,
      offset: 0,
      body: bytes(10),
      progress: 'now',
    })
    const state = await fx.service.uploadState(alice, recording.id)
    expect(state).toMatchObject({ kind: 'uploading', offset: 10 })
    if (state.kind !== 'uploading') throw new Error('not uploading')
    expect(state.expiresAt.getTime()).toBe(fx.clock.now().getTime() + 5 * MIN)
    // The append that saved its progress says the same, so a tus PATCH need not ask again.
    expect(appended.upload).toEqual(state)
  })

  it('fails an upload of known length that expires short of it (janitor), naming offset and length', async () => {
    const fx = makeService({ idleTimeoutMs: 5 * MIN })
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 30 })
    await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10), progress: 'now' })
    const { recording: deferred } = await fx.service.start({ userId: alice, sessionId: uuid(3) })
    await fx.service.append({ userId: alice, id: deferred.id, offset: 0, body: bytes(4), progress: 'now' })
    fx.clock.advance(5 * MIN + 1)
    expect(await fx.service.expire()).toBe(2)
    const failed = await fx.service.get(alice, recording.id)
    expect(failed).toMatchObject({ status: 'failed', stopReason: 'idle_timeout' })
    expect(failed.failureReason).toContain('offset 10')
    expect(failed.failureReason).toContain('30 bytes')
    await expect(fx.service.uploadState(alice, recording.id)).rejects.toThrow(UploadGoneError)
    // A deferred length promised nothing: the janitor completes it as it does a stream.
    expect(await fx.service.get(alice, deferred.id)).toMatchObject({ status: 'completed', sizeBytes: 4 })
  })

  it('ends an expired upload on the spot when asked before the janitor came by', async () => {
    const fx = makeService({ idleTimeoutMs: 5 * MIN })
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 30 })
    await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10), progress: 'now' })
    fx.clock.advance(5 * MIN)
    await expect(
      fx.service.append({ userId: alice, id: recording.id, offset: 10, body: bytes(20) }),
    ).rejects.toThrow(UploadGoneError)
    expect(await fx.service.get(alice, recording.id)).toMatchObject({ status: 'failed' })
    await expect(fx.service.uploadState(alice, recording.id)).rejects.toThrow(UploadGoneError)
  })

  it('still completes on stop short of the length (the client asked)', async () => {
    const fx = makeService()
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 30 })
    await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10) })
    expect(await fx.service.stop(alice, recording.id)).toMatchObject({ status: 'completed', sizeBytes: 10 })
  })

  it('keeps name and length in the idempotency fingerprint', async () => {
    const fx = makeService()
    const first = await fx.service.start({
      userId: alice,
      sessionId: uuid(2),
      uploadLength: 30,
      idempotencyKey: 'k',
    })
    const again = await fx.service.start({
      userId: alice,
      sessionId: uuid(2),
      uploadLength: 30,
      idempotencyKey: 'k',
    })
    expect(again).toMatchObject({ replayed: true, recording: { id: first.recording.id } })
    await expect(
      fx.service.start({ userId: alice, sessionId: uuid(2), uploadLength: 31, idempotencyKey: 'k' }),
    ).rejects.toThrow(/Idempotency/)
  })
})
