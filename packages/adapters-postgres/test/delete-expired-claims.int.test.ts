import { makeRecording } from '@rec/domain/testing'
import { describe, expect, it } from 'vitest'
import { type Database, PostgresRecordingRepo } from '../src/index.js'
import {
  POSTGRES_SUITE,
  TEST_DATABASE_URL,
  truncateAll,
  useMigratedDatabase,
} from './support/test-databases.js'

function purgeChecks(database: () => Database): void {
  it('removes only claims that expired before the given time', async () => {
    await truncateAll(database())
    const repo = new PostgresRecordingRepo(database().db)
    const r = makeRecording()
    const claim = { userId: r.userId, fingerprint: 'f' }
    await repo.create(r, { ...claim, key: 'old', expiresAt: new Date('2026-01-01T01:00:00Z') })
    await repo.create(makeRecording({ userId: r.userId }), {
      ...claim,
      key: 'fresh',
      expiresAt: new Date('2026-01-02T00:00:00Z'),
    })
    expect(await repo.deleteExpiredClaims(new Date('2026-01-01T12:00:00Z'))).toBe(1)
    const left = await database().db.selectFrom('idempotency_keys').select('key').execute()
    expect(left).toEqual([{ key: 'fresh' }])
  })
}

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: expired claims`, () => {
  purgeChecks(useMigratedDatabase('postgres'))
})

describe('PGlite: expired claims', () => {
  purgeChecks(useMigratedDatabase('pglite'))
})
