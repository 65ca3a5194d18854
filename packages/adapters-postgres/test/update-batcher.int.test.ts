import type { Recording } from '@rec/domain'
import { makeRecording } from '@rec/domain/testing'
import type { KyselyPlugin } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { type Database, PostgresRecordingRepo } from '../src/index.js'
import { ReadBatcher } from '../src/read-batcher.js'
import { toRow } from '../src/recording-mapping.js'
import { UpdateBatcher } from '../src/update-batcher.js'
import {
  POSTGRES_SUITE,
  TEST_DATABASE_URL,
  truncateAll,
  useMigratedDatabase,
} from './support/test-databases.js'

/** Counts the statements a Kysely instance sends. */
function statementCounter(): KyselyPlugin & { readonly count: () => number } {
  let n = 0
  return {
    transformQuery: (args) => {
      n++
      return args.node
    },
    transformResult: async (args) => args.result,
    count: () => n,
  }
}

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s))

function progressed(r: Recording, sizeBytes: number): Recording {
  return { ...r, sizeBytes, lastActivityAt: at(30), updatedAt: at(30) }
}

function updateBatching(database: () => Database): void {
  let repo: PostgresRecordingRepo
  let rows: Recording[]
  beforeEach(async () => {
    await truncateAll(database())
    repo = new PostgresRecordingRepo(database().db)
    rows = Array.from({ length: 300 }, () => makeRecording({ startedAt: at(0), lastActivityAt: at(0) }))
    for (const r of rows) await repo.create(r, null)
  })

  it('coalesces a burst of compare-and-set updates into a few statements, each caller told its own outcome', async () => {
    const counter = statementCounter()
    const batcher = new UpdateBatcher(database().db.withPlugin(counter))
    // Every third update expects a status the row does not have: those must not be saved.
    const outcomes = await Promise.all(
      rows.map((r, i) =>
        batcher.update(toRow(progressed(r, 1000 + i)), i % 3 === 2 ? 'stopping' : 'recording'),
      ),
    )
    expect(outcomes).toEqual(rows.map((_, i) => i % 3 !== 2))
    // Two go alone while the rest queue behind them, then leave together.
    expect(counter.count()).toBeLessThanOrEqual(4)
    for (const [i, r] of rows.entries()) {
      const stored = await repo.findById(r.id)
      if (i % 3 === 2) expect(stored).toEqual(r)
      else expect(stored).toEqual(progressed(r, 1000 + i))
    }
  })

  it('coalesces a burst of reads by id into a few statements, each caller given its own row or null', async () => {
    const counter = statementCounter()
    const reads = new ReadBatcher(database().db.withPlugin(counter))
    const missing = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a0099'
    const asked = [...rows.map((r) => r.id), missing, 'not-a-uuid', (rows[0] as Recording).id.toUpperCase()]
    const found = await Promise.all(asked.map((id) => reads.find(id)))
    expect(found.slice(0, rows.length).map((row) => row?.id)).toEqual(rows.map((r) => r.id))
    expect(found[rows.length]).toBeNull()
    expect(found[rows.length + 1]).toBeNull()
    expect(found[rows.length + 2]?.id).toBe((rows[0] as Recording).id)
    // Two go alone while the rest queue behind them, then leave together.
    expect(counter.count()).toBeLessThanOrEqual(4)
    // A read asked for after a write sees it.
    await repo.update(progressed(rows[1] as Recording, 77), 'recording')
    expect(Number((await reads.find((rows[1] as Recording).id))?.size_bytes)).toBe(77)
  })

  it('saves every column a status change touches, and runs two updates of one row in order', async () => {
    const [first, second] = rows
    if (!first || !second) throw new Error('no rows')
    const stopping: Recording = { ...progressed(first, 5), status: 'stopping', stoppedAt: at(31) }
    const completed: Recording = {
      ...stopping,
      status: 'completed',
      durationMs: 31_000,
      checksum: `sha256:${'a'.repeat(64)}`,
      stopReason: 'client',
      updatedAt: at(32),
    }
    const failed: Recording = { ...progressed(second, 7), status: 'failed', failureReason: 'it\'s "broken"' }
    const outcomes = await Promise.all([
      repo.update(progressed(rows[2] as Recording, 1), 'recording'),
      repo.update(progressed(rows[3] as Recording, 1), 'recording'),
      repo.update(stopping, 'recording'),
      repo.update(completed, 'stopping'),
      repo.update(failed, 'recording'),
    ])
    expect(outcomes).toEqual([true, true, true, true, true])
    expect(await repo.findById(first.id)).toEqual(completed)
    expect(await repo.findById(second.id)).toEqual(failed)
  })

  it('fails only the caller whose row the database refuses; the rest of its batch is saved', async () => {
    const batcher = new UpdateBatcher(database().db)
    const bad = { ...progressed(rows[0] as Recording, 1), status: 'paused' } as unknown as Recording
    const settled = await Promise.allSettled([
      batcher.update(toRow(progressed(rows[1] as Recording, 11)), 'recording'),
      batcher.update(toRow(progressed(rows[2] as Recording, 12)), 'recording'),
      batcher.update(toRow(bad), 'recording'),
      batcher.update(toRow(progressed(rows[3] as Recording, 13)), 'recording'),
      batcher.update(toRow(progressed(rows[4] as Recording, 14)), 'recording'),
    ])
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ])
    expect(settled[2]).toMatchObject({ reason: { code: '23514' } })
    expect((await repo.findById((rows[0] as Recording).id))?.sizeBytes).toBe(0)
    for (const i of [1, 2, 3, 4])
      expect((await repo.findById((rows[i] as Recording).id))?.sizeBytes).toBe(10 + i)
  })
}

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: update batching`, () => {
  updateBatching(useMigratedDatabase('postgres'))
})

describe('PGlite: update batching', () => {
  updateBatching(useMigratedDatabase('pglite'))
})
