import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecordingAlreadyActiveError } from '../errors.js'
import type { RecordingRepo } from '../ports/recording-repo.js'
import type { Recording } from '../recording.js'

export interface RecordingRepoFixture {
  readonly repo: RecordingRepo
  close(): Promise<void>
}

let seq = 0
const uuid = (): string => {
  seq++
  const rand = Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')
  return `${rand}-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`
}

export function makeRecording(over: Partial<Recording> = {}): Recording {
  const t = over.createdAt ?? new Date('2026-01-01T00:00:00.000Z')
  return {
    id: uuid(),
    sessionId: uuid(),
    userId: uuid(),
    status: 'recording',
    config: { quality: 'high', format: 'webm' },
    sizeBytes: 0,
    durationMs: null,
    checksum: null,
    stopReason: null,
    failureReason: null,
    name: null,
    uploadLength: null,
    startedAt: t,
    stoppedAt: null,
    lastActivityAt: t,
    createdAt: t,
    updatedAt: t,
    media: null,
    seekable: null,
    ...over,
  }
}

/** The behaviour every RecordingRepo must have; each adapter's tests call it. */
export function runRecordingRepoContract(name: string, make: () => Promise<RecordingRepoFixture>): void {
  describe(`RecordingRepo contract: ${name}`, () => {
    let fx: RecordingRepoFixture
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('round-trips every field', async () => {
      const r = makeRecording({ config: { quality: 'low', format: 'ogg' }, sizeBytes: 5 })
      expect(await fx.repo.create(r, null)).toEqual({ kind: 'created' })
      expect(await fx.repo.findById(r.id)).toEqual(r)
      expect(await fx.repo.findById(uuid())).toBeNull()
      const upload = makeRecording({ name: 'talk.webm', uploadLength: 5_000_000_000 })
      await fx.repo.create(upload, null)
      expect(await fx.repo.findById(upload.id)).toEqual(upload)
      const declared = { ...makeRecording(), uploadLength: null }
      await fx.repo.create(declared, null)
      expect(await fx.repo.update({ ...declared, uploadLength: 42 }, 'recording')).toBe(true)
      expect((await fx.repo.findById(declared.id))?.uploadLength).toBe(42)
    })

    it('allows one active recording per user and session', async () => {
      const r = makeRecording()
      await fx.repo.create(r, null)
      await expect(
        fx.repo.create(makeRecording({ userId: r.userId, sessionId: r.sessionId }), null),
      ).rejects.toBeInstanceOf(RecordingAlreadyActiveError)
      await fx.repo.create(makeRecording({ sessionId: r.sessionId }), null)
      const done = { ...r, status: 'completed' as const, checksum: 'sha256:00', durationMs: 10 }
      expect(await fx.repo.update(done, 'recording')).toBe(true)
      await fx.repo.create(makeRecording({ userId: r.userId, sessionId: r.sessionId }), null)
    })

    it('replays an idempotency claim instead of inserting', async () => {
      const r = makeRecording()
      const claim = {
        userId: r.userId,
        key: 'k1',
        fingerprint: 'f1',
        expiresAt: new Date('2026-01-02T00:00:00Z'),
      }
      expect(await fx.repo.create(r, claim)).toEqual({ kind: 'created' })
      const again = makeRecording({ userId: r.userId, sessionId: r.sessionId })
      expect(await fx.repo.create(again, { ...claim, fingerprint: 'f2' })).toEqual({
        kind: 'replayed',
        recordingId: r.id,
        fingerprint: 'f1',
      })
      expect(await fx.repo.findById(again.id)).toBeNull()
      // The same key from another user is another claim.
      const other = makeRecording()
      expect(await fx.repo.create(other, { ...claim, userId: other.userId })).toEqual({ kind: 'created' })
    })

    it('treats an expired claim as new', async () => {
      const r = makeRecording()
      const claim = {
        userId: r.userId,
        key: 'k',
        fingerprint: 'f',
        expiresAt: new Date('2026-01-01T00:00:01Z'),
      }
      await fx.repo.create(r, claim)
      const later = makeRecording({ userId: r.userId, createdAt: new Date('2026-01-03T00:00:00Z') })
      expect(await fx.repo.create(later, { ...claim, expiresAt: new Date('2026-01-04T00:00:00Z') })).toEqual({
        kind: 'created',
      })
    })

    it('does not keep a claim when the insert fails', async () => {
      const r = makeRecording()
      await fx.repo.create(r, null)
      const dup = makeRecording({ userId: r.userId, sessionId: r.sessionId })
      const claim = {
        userId: r.userId,
        key: 'k',
        fingerprint: 'f',
        expiresAt: new Date('2026-01-02T00:00:00Z'),
      }
      await expect(fx.repo.create(dup, claim)).rejects.toBeInstanceOf(RecordingAlreadyActiveError)
      await fx.repo.update({ ...r, status: 'failed', failureReason: 'x' }, 'recording')
      expect(await fx.repo.create(dup, claim)).toEqual({ kind: 'created' })
    })

    it('updates only from the expected status', async () => {
      const r = makeRecording()
      await fx.repo.create(r, null)
      const stopping = {
        ...r,
        status: 'stopping' as const,
        sizeBytes: 10,
        stoppedAt: new Date('2026-01-01T00:00:05Z'),
      }
      expect(await fx.repo.update(stopping, 'stopping')).toBe(false)
      expect(await fx.repo.update(stopping, 'recording')).toBe(true)
      expect(await fx.repo.findById(r.id)).toEqual(stopping)
      expect(await fx.repo.update(makeRecording(), 'recording')).toBe(false)
    })

    it('lists a user’s recordings newest first with filters and a total', async () => {
      const userId = uuid()
      const sessionId = uuid()
      const made: Recording[] = []
      for (let i = 0; i < 5; i++) {
        const r = makeRecording({
          userId,
          sessionId: i < 2 ? sessionId : uuid(),
          status: i === 0 ? 'completed' : 'recording',
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        })
        await fx.repo.create({ ...r, status: 'recording' }, null)
        if (i === 0) await fx.repo.update(r, 'recording')
        made.push(r)
      }
      await fx.repo.create(makeRecording(), null)
      const page1 = await fx.repo.list({ userId, status: null, sessionId: null, page: 1, limit: 2 })
      expect(page1.total).toBe(5)
      expect(page1.items.map((r) => r.id)).toEqual([made[4]?.id, made[3]?.id])
      const page3 = await fx.repo.list({ userId, status: null, sessionId: null, page: 3, limit: 2 })
      expect(page3.items.map((r) => r.id)).toEqual([made[0]?.id])
      const bySession = await fx.repo.list({ userId, status: null, sessionId, page: 1, limit: 10 })
      expect(bySession.total).toBe(2)
      const byStatus = await fx.repo.list({
        userId,
        status: 'completed',
        sessionId: null,
        page: 1,
        limit: 10,
      })
      expect(byStatus.items.map((r) => r.id)).toEqual([made[0]?.id])
      const beyond = await fx.repo.list({ userId, status: null, sessionId: null, page: 9, limit: 10 })
      expect(beyond).toEqual({ items: [], total: 5 })
      for (const query of [
        { userId, status: null, sessionId: null, page: 1, limit: 2 },
        { userId, status: null, sessionId, page: 1, limit: 10 },
        { userId, status: 'completed' as const, sessionId: null, page: 1, limit: 10 },
        { userId, status: null, sessionId: null, page: 3, limit: 2 },
      ]) {
        expect(await fx.repo.listItems(query)).toEqual((await fx.repo.list(query)).items)
      }
    })

    it('pages by position (keyset) in the same order as by page, ties broken by id', async () => {
      const userId = uuid()
      const sameTime = new Date(Date.UTC(2026, 0, 2))
      for (let i = 0; i < 5; i++) {
        const createdAt = i < 3 ? sameTime : new Date(Date.UTC(2026, 0, 1, 0, 0, i))
        await fx.repo.create(makeRecording({ userId, status: 'completed', createdAt }), null)
      }
      const query = { userId, status: null, sessionId: null, page: 1, limit: 2 }
      const all = (await fx.repo.list({ ...query, limit: 10 })).items.map((r) => r.id)
      const seen: string[] = []
      let after: { createdAt: Date; id: string } | undefined
      for (let n = 0; n < 4; n++) {
        const page = await fx.repo.list({ ...query, page: after ? 99 : 1, after })
        expect(page.total).toBe(5)
        seen.push(...page.items.map((r) => r.id))
        const last = page.items.at(-1)
        after = last ? { createdAt: last.createdAt, id: last.id } : undefined
        if (!after) break
      }
      expect(seen).toEqual(all)
      const byStatus = await fx.repo.list({
        ...query,
        status: 'failed',
        after: { createdAt: sameTime, id: all[0] ?? '' },
      })
      expect(byStatus).toEqual({ items: [], total: 0 })
    })

    it('deletes', async () => {
      const r = makeRecording()
      await fx.repo.create(r, null)
      expect(await fx.repo.delete(r.id)).toBe(true)
      expect(await fx.repo.delete(r.id)).toBe(false)
      expect(await fx.repo.findById(r.id)).toBeNull()
    })

    it('finds active recordings that are idle or too old', async () => {
      const t = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s))
      const idle = makeRecording({ lastActivityAt: t(1), startedAt: t(1), createdAt: t(1) })
      const busy = makeRecording({ lastActivityAt: t(50), startedAt: t(40), createdAt: t(40) })
      const old = makeRecording({ lastActivityAt: t(55), startedAt: t(2), createdAt: t(2) })
      const done = makeRecording({ lastActivityAt: t(0), startedAt: t(0), createdAt: t(0) })
      for (const r of [idle, busy, old, done]) await fx.repo.create(r, null)
      await fx.repo.update({ ...done, status: 'failed', failureReason: 'x' }, 'recording')
      const found = await fx.repo.findExpired(t(10), t(5), 10)
      expect(found.map((r) => r.id).sort()).toEqual([idle.id, old.id].sort())
      expect(await fx.repo.findExpired(t(10), t(5), 1)).toHaveLength(1)
    })

    it('finds completed recordings created before a time, oldest first', async () => {
      const t = (d: number): Date => new Date(Date.UTC(2026, 0, d))
      const made = [1, 2, 3, 9].map((d) =>
        makeRecording({ createdAt: t(d), startedAt: t(d), lastActivityAt: t(d) }),
      )
      for (const r of made) await fx.repo.create(r, null)
      const [a, b, c] = made
      if (!a || !b || !c) throw new Error('unreachable')
      for (const r of [b, a])
        await fx.repo.update({ ...r, status: 'completed', checksum: 'sha256:00' }, 'recording')
      await fx.repo.update({ ...c, status: 'failed', failureReason: 'x' }, 'recording')
      expect((await fx.repo.findCompletedBefore(t(5), 10)).map((r) => r.id)).toEqual([a.id, b.id])
      expect((await fx.repo.findCompletedBefore(t(5), 1)).map((r) => r.id)).toEqual([a.id])
      expect(await fx.repo.findCompletedBefore(t(2), 10)).toHaveLength(1)
    })

    it('purges only the idempotency claims that expired', async () => {
      const r = makeRecording()
      const claim = { userId: r.userId, fingerprint: 'f' }
      await fx.repo.create(r, { ...claim, key: 'old', expiresAt: new Date('2026-01-01T01:00:00Z') })
      await fx.repo.create(makeRecording({ userId: r.userId }), {
        ...claim,
        key: 'fresh',
        expiresAt: new Date('2026-01-02T00:00:00Z'),
      })
      expect(await fx.repo.deleteExpiredClaims(new Date('2026-01-01T12:00:00Z'))).toBe(1)
      expect(await fx.repo.deleteExpiredClaims(new Date('2026-01-01T12:00:00Z'))).toBe(0)
      // The fresh claim still replays.
      const again = makeRecording({ userId: r.userId, createdAt: new Date('2026-01-01T13:00:00Z') })
      expect(
        await fx.repo.create(again, { ...claim, key: 'fresh', expiresAt: new Date('2026-01-03T00:00:00Z') }),
      ).toMatchObject({ kind: 'replayed' })
    })
  })
}
