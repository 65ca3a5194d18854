import { type CreateOutcome, RecordingAlreadyActiveError } from '@rec/domain'
import { makeRecording } from '@rec/domain/testing'
import { beforeEach, describe, expect, it } from 'vitest'
import { type Database, PostgresRecordingRepo } from '../src/index.js'
import {
  POSTGRES_SUITE,
  TEST_DATABASE_URL,
  truncateAll,
  useMigratedDatabase,
} from './support/test-databases.js'

const settle = (work: Promise<CreateOutcome>): Promise<CreateOutcome | Error> =>
  work.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))

const userId = '7d3f9a52-0000-4000-8000-000000000001'
const expiresAt = new Date('2026-01-02T00:00:00Z')

// PGlite has one connection: transactions must queue for it whole, or one create's statements would
// land inside another's transaction. PostgreSQL must resolve the same races with row locks.
function concurrentCreates(database: () => Database): void {
  let repo: PostgresRecordingRepo
  beforeEach(async () => {
    await truncateAll(database())
    repo = new PostgresRecordingRepo(database().db)
  })

  it('lets exactly one of many simultaneous starts per session win, and keeps only its claim', async () => {
    const sessions = Array.from({ length: 10 }, (_, i) => `7d3f9a52-0000-4000-8000-1000000000${i}0`)
    const attempts = sessions.flatMap((sessionId, s) =>
      Array.from({ length: 6 }, (_, a) => ({
        recording: makeRecording({ userId, sessionId }),
        claim: { userId, key: `k-${s}-${a}`, fingerprint: `f-${s}-${a}`, expiresAt },
      })),
    )
    const outcomes = await Promise.all(attempts.map((t) => settle(repo.create(t.recording, t.claim))))

    expect(outcomes.filter((o) => !(o instanceof Error) && o.kind === 'created')).toHaveLength(10)
    const failures = outcomes.filter((o) => o instanceof Error)
    expect(failures).toHaveLength(50)
    for (const f of failures) expect(f).toBeInstanceOf(RecordingAlreadyActiveError)
    const page = await repo.list({ userId, status: null, sessionId: null, page: 1, limit: 100 })
    expect(new Set(page.items.map((r) => r.sessionId))).toEqual(new Set(sessions))
    // The losers' claims rolled back with their inserts.
    const claims = await database().db.selectFrom('idempotency_keys').select('recording_id').execute()
    expect(claims.map((c) => c.recording_id).sort()).toEqual(page.items.map((r) => r.id).sort())
  })

  it('replays one key used by many simultaneous starts to the one recording it created', async () => {
    const claim = { userId, key: 'same-key', fingerprint: 'f', expiresAt }
    const attempts = Array.from({ length: 30 }, () => makeRecording({ userId }))
    const outcomes = await Promise.all(attempts.map((r) => repo.create(r, claim)))

    const created = attempts.filter((_, i) => outcomes[i]?.kind === 'created')
    expect(created).toHaveLength(1)
    const winner = created[0]?.id
    for (const o of outcomes.filter((o) => o.kind === 'replayed')) {
      expect(o).toEqual({ kind: 'replayed', recordingId: winner, fingerprint: 'f' })
    }
    const page = await repo.list({ userId, status: null, sessionId: null, page: 1, limit: 100 })
    expect(page.items.map((r) => r.id)).toEqual([winner])
    expect(database().poolStats().waiting).toBe(0)
  })
}

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: concurrent creates`, () => {
  concurrentCreates(useMigratedDatabase('postgres'))
})

describe('PGlite: concurrent creates', () => {
  concurrentCreates(useMigratedDatabase('pglite'))
})
