import { type ListQuery, RECORDING_STATUSES, type Recording } from '@rec/domain'
import { makeRecording } from '@rec/domain/testing'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../src/index.js'
import { toRow } from '../src/recording-mapping.js'
import { recordingQueries } from '../src/recording-queries.js'
import {
  POSTGRES_SUITE,
  TEST_DATABASE_URL,
  truncateAll,
  useMigratedDatabase,
} from './support/test-databases.js'

const userId = '5e1a0c7e-0000-4000-8000-000000000001'
const sessionId = '5e1a0c7e-0000-4000-8000-000000000002'
const base = Date.UTC(2026, 0, 1)

// Realistic statistics instead of `enable_seqscan = off`: many users with a few rows each, so the
// planner itself must find the indexes cheaper than reading the table.
async function seed(database: Database): Promise<void> {
  await truncateAll(database)
  const rows: Recording[] = []
  for (let u = 0; u < 400; u++) {
    const other = `5e1a0c7e-0000-4000-9000-${u.toString(16).padStart(12, '0')}`
    for (let i = 0; i < 10; i++) {
      const at = new Date(base + (u * 10 + i) * 1000)
      rows.push(makeRecording({ userId: other, status: i === 9 ? 'recording' : 'completed', createdAt: at }))
    }
  }
  for (let i = 0; i < 12; i++) {
    const status = RECORDING_STATUSES[i % 4] ?? 'failed'
    rows.push(makeRecording({ userId, status, createdAt: new Date(base + i * 1000) }))
  }
  for (const status of ['completed', 'failed', 'recording'] as const) {
    rows.push(makeRecording({ userId, sessionId, status, createdAt: new Date(base + rows.length * 1000) }))
  }
  for (let i = 0; i < rows.length; i += 500) {
    await database.db
      .insertInto('recordings')
      .values(rows.slice(i, i + 500).map(toRow))
      .execute()
  }
  await sql`analyze recordings`.execute(database.db)
}

// Each list shape and the index migration 0001 made for it.
const shapes: Record<string, { readonly filter: Partial<ListQuery>; readonly index: RegExp }> = {
  'all of a user': { filter: {}, index: /idx_recordings_user_created/ },
  'by status': { filter: { status: 'completed' }, index: /idx_recordings_user_status_created/ },
  'by session': { filter: { sessionId }, index: /idx_recordings_user_session_created/ },
  'by status and session': {
    filter: { status: 'completed', sessionId },
    index: /idx_recordings_user_(session|status)_created/,
  },
}

function planChecks(database: () => Database): void {
  beforeAll(async () => seed(database()))

  const plan = async (explained: Promise<Record<string, unknown>[]>): Promise<string> =>
    (await explained).map((row) => String(row['QUERY PLAN'])).join('\n')

  for (const [name, { filter, index }] of Object.entries(shapes)) {
    const query: ListQuery = { userId, status: null, sessionId: null, page: 2, limit: 2, ...filter }
    it(`pages ${name} from its index, already in order`, async () => {
      const text = await plan(recordingQueries.listPage(database().db, query).explain())
      expect(text).toMatch(index)
      expect(text).not.toMatch(/Sort/)
      expect(text).not.toMatch(/Seq Scan on recordings/)
    })
    it(`pages ${name} by position (cursor) from the same index, no sort, no offset`, async () => {
      const after = { createdAt: new Date(base + 5000), id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }
      const text = await plan(recordingQueries.listPage(database().db, { ...query, after }).explain())
      expect(text).toMatch(index)
      expect(text).not.toMatch(/Sort|Seq Scan on recordings/)
    })
    it(`counts ${name} from an index`, async () => {
      const text = await plan(recordingQueries.listCount(database().db, query).explain())
      expect(text).toMatch(/Index/)
      expect(text).not.toMatch(/Seq Scan on recordings/)
    })
  }

  it('finds expired recordings through the partial index on active rows', async () => {
    const text = await plan(
      recordingQueries.expired(database().db, new Date(base + 5000), new Date(base), 100).explain(),
    )
    expect(text).toMatch(/idx_recordings_active_started/)
    expect(text).not.toMatch(/Seq Scan on recordings/)
  })
}

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: query plans`, () => {
  planChecks(useMigratedDatabase('postgres'))
})

describe('PGlite: query plans', () => {
  planChecks(useMigratedDatabase('pglite'))
})
