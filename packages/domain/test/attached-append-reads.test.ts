import { describe, expect, it } from 'vitest'
import { RecordingNotFoundError, RecordingNotRecordingError } from '../src/errors.js'
import { UPLOAD_EXPIRES_SLACK_MS } from '../src/upload-expiry.js'
import { bytes, countCalls, makeService, uuid } from './service-fixture.js'

const alice = uuid(1)
const bob = uuid(2)

describe('appends to an attached recording', () => {
  it('do not read the row per append, and still see a stop, a limit and another user', async () => {
    const { service, repo, clock } = makeService({ maxBytes: 100 })
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3) })
    await service.attach(alice, recording.id)
    const reads = countCalls(repo, 'findById')
    let offset = 0
    for (let i = 0; i < 5; i++) {
      clock.advance(400)
      offset = (await service.append({ userId: alice, id: recording.id, offset, body: bytes(10) })).offset
    }
    expect(offset).toBe(50)
    expect(reads()).toBe(0)
    await expect(service.append({ userId: bob, id: recording.id, offset, body: bytes(1) })).rejects.toThrow(
      RecordingNotFoundError,
    )
    // Progress saved along the way kept the attached copy current: the stop sees every byte.
    expect((await service.stop(alice, recording.id)).sizeBytes).toBe(50)
    await expect(service.append({ userId: alice, id: recording.id, offset, body: bytes(1) })).rejects.toThrow(
      RecordingNotRecordingError,
    )
  })

  it('are touched without a read or a stat; the saved size follows the appends, and a failed append falls back to looking', async () => {
    const { service, repo, blobs, clock } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3) })
    await service.attach(alice, recording.id)
    const reads = countCalls(repo, 'findById')
    const stats = countCalls(blobs, 'size')
    await service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10) })
    clock.advance(100)
    // Throttled: the append did not save; the touch finds the saved size lagging and saves it.
    await service.append({ userId: alice, id: recording.id, offset: 10, body: bytes(5) })
    await service.touch(alice, recording.id)
    expect((await repo.findById(recording.id))?.sizeBytes).toBe(15)
    const saved = (await repo.findById(recording.id))?.updatedAt
    await service.touch(alice, recording.id)
    expect((await repo.findById(recording.id))?.updatedAt).toEqual(saved)
    // Three of the reads are this test's own checks.
    expect({ reads: reads() - 3, stats: stats() }).toEqual({ reads: 0, stats: 0 })
    await expect(service.touch(bob, recording.id)).rejects.toThrow(RecordingNotFoundError)

    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(3)
      throw new Error('client went away')
    }
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 15, body: broken() }),
    ).rejects.toThrow()
    const statsBefore = stats()
    clock.advance(2000)
    await service.touch(alice, recording.id)
    expect(stats() - statsBefore).toBe(1)
    expect((await repo.findById(recording.id))?.sizeBytes).toBe(18)
  })

  it('forget a deleted recording', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3) })
    await service.attach(alice, recording.id)
    await service.delete(alice, recording.id)
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(1) }),
    ).rejects.toThrow(RecordingNotFoundError)
  })
})

describe('the progress save of a stream', () => {
  it('runs behind the append: the append resolves while the UPDATE is still pending, and a stop waits for it', async () => {
    const { service, repo, clock } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3) })
    await service.attach(alice, recording.id)
    let releaseUpdate = (): void => {}
    const gate = new Promise<void>((resolve) => {
      releaseUpdate = resolve
    })
    const update = repo.update.bind(repo)
    let pending = 0
    repo.update = async (...args) => {
      pending++
      await gate
      return update(...args)
    }
    clock.advance(2000)
    // The throttled save is due: it starts, and the append does not wait for it.
    const result = await service.append({
      userId: alice,
      id: recording.id,
      offset: 0,
      body: [new Uint8Array(10)],
    })
    expect(result.offset).toBe(10)
    expect(pending).toBe(1)
    // Another append while it runs neither waits nor starts a second save.
    clock.advance(2000)
    expect(
      (await service.append({ userId: alice, id: recording.id, offset: 10, body: [new Uint8Array(5)] }))
        .offset,
    ).toBe(15)
    expect(pending).toBe(1)
    let stopped = false
    const stopping = service.stop(alice, recording.id).then((r) => {
      stopped = true
      return r
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(stopped).toBe(false)
    releaseUpdate()
    const completed = await stopping
    expect(completed.status).toBe('completed')
    expect(completed.sizeBytes).toBe(15)
    expect((await repo.findById(recording.id))?.sizeBytes).toBe(15)
  })

  it('logs a failed save and reports it to the next append', async () => {
    const { service, repo, clock, warnings } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3) })
    await service.attach(alice, recording.id)
    const update = repo.update.bind(repo)
    repo.update = async () => {
      throw new Error('connection reset')
    }
    clock.advance(2000)
    expect(
      (await service.append({ userId: alice, id: recording.id, offset: 0, body: [new Uint8Array(4)] }))
        .offset,
    ).toBe(4)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(warnings).toContain('progress save failed')
    repo.update = update
    // The stream hears of the outage at its next append, which stores nothing; the one after goes on.
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 4, body: [new Uint8Array(2)] }),
    ).rejects.toThrow('connection reset')
    expect(
      (await service.append({ userId: alice, id: recording.id, offset: 4, body: [new Uint8Array(2)] }))
        .offset,
    ).toBe(6)
    expect((await service.stop(alice, recording.id)).sizeBytes).toBe(6)
  })
})

describe('appends of an HTTP upload (no attach) on a single instance', () => {
  it('read the row once, then keep it current until it stops being recording', async () => {
    const { service, repo, clock } = makeService({ maxBytes: 100 })
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3), uploadLength: 30 })
    const reads = countCalls(repo, 'findById')
    let offset = 0
    for (let i = 0; i < 2; i++) {
      clock.advance(400)
      offset = (await service.append({ userId: alice, id: recording.id, offset, body: bytes(10) })).offset
    }
    expect(reads()).toBe(1)
    await expect(service.append({ userId: bob, id: recording.id, offset, body: bytes(1) })).rejects.toThrow(
      RecordingNotFoundError,
    )
    // The announced length completes it; the next append reads the row again and finds it completed.
    const last = await service.append({ userId: alice, id: recording.id, offset, body: bytes(10) })
    expect(last.completed?.status).toBe('completed')
    await expect(
      service.append({ userId: alice, id: recording.id, offset: 30, body: bytes(1) }),
    ).rejects.toThrow(RecordingNotRecordingError)
  })
})

describe('a tus PATCH on a single instance (uploadState, then an append with progress: upload)', () => {
  it('reads no row, saves once a progress interval, and answers an Upload-Expires early by at most the slack, never late', async () => {
    const MIN = 60_000
    const { service, repo, clock, events } = makeService({ maxBytes: 1000, idleTimeoutMs: 5 * MIN })
    const { recording } = await service.start({ userId: alice, sessionId: uuid(3), uploadLength: 100 })
    const reads = countCalls(repo, 'findById')
    const updates = countCalls(repo, 'update')
    const publishes = countCalls(events, 'publish')
    let offset = 0
    const patch = async (): Promise<void> => {
      expect(await service.uploadState(alice, recording.id)).toMatchObject({ kind: 'uploading', offset })
      const result = await service.append({
        userId: alice,
        id: recording.id,
        offset,
        body: bytes(10),
        progress: 'upload',
      })
      offset = result.offset
      if (!result.upload) throw new Error('no upload state')
      // Let a save running behind the append land before looking at the row.
      await new Promise((resolve) => setTimeout(resolve, 0))
      const expires = result.upload.expiresAt.getTime()
      const truth = clock.now().getTime() + 5 * MIN
      expect(expires).toBeLessThanOrEqual(truth)
      expect(expires).toBeGreaterThanOrEqual(truth - UPLOAD_EXPIRES_SLACK_MS)
      // Never later than what the janitor goes by: the saved activity plus the idle timeout.
      const saved = (await repo.findById(recording.id))?.lastActivityAt.getTime() ?? 0
      expect(expires).toBeLessThanOrEqual(saved + 5 * MIN)
    }
    for (let i = 0; i < 8; i++) {
      clock.advance(300)
      await patch()
    }
    // The row was read by the first PATCH only (its look and its append), besides this test's own
    // 8 looks; 2.1 s of PATCHes every 300 ms: a save behind the first, then once a second.
    expect(reads() - 8).toBe(2)
    expect({ updates: updates(), publishes: publishes() }).toEqual({ updates: 2, publishes: 2 })
    // After a pause longer than the slack the PATCH saves before it answers.
    clock.advance(UPLOAD_EXPIRES_SLACK_MS + 1)
    const before = updates()
    await patch()
    expect(updates() - before).toBe(1)
    expect(offset).toBe(90)
  })
})

describe('progress saves of many streams', () => {
  it('stretch each stream’s interval so that all of them together stay under progressSavesPerSecond', async () => {
    const { service, repo, clock } = makeService({}, undefined, { progressSavesPerSecond: 2 })
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const { recording } = await service.start({ userId: alice, sessionId: uuid(10 + i) })
      await service.attach(alice, recording.id)
      ids.push(recording.id)
    }
    const id = ids[0] as string
    const updates = countCalls(repo, 'update')
    // Four streams at two saves a second: each saves every 2 s, not every second.
    clock.advance(1500)
    await service.append({ userId: alice, id, offset: 0, body: [new Uint8Array(3)] })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(updates()).toBe(0)
    clock.advance(1000)
    await service.append({ userId: alice, id, offset: 3, body: [new Uint8Array(3)] })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(updates()).toBe(1)
    expect((await repo.findById(id))?.sizeBytes).toBe(6)
  })
})
