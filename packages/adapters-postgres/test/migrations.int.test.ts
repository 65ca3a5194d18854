import { FORMATS, QUALITIES, RECORDING_STATUSES, STOP_REASONS } from '@rec/domain'
import { makeRecording } from '@rec/domain/testing'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { type Database, migrateToLatest, openDatabase, PostgresRecordingRepo } from '../src/index.js'
import {
  createScratchDatabase,
  POSTGRES_SUITE,
  TEST_DATABASE_URL,
  truncateAll,
  useMigratedDatabase,
} from './support/test-databases.js'

interface ColumnInfo {
  column_name: string
  data_type: string
  character_maximum_length: number | null
  is_nullable: string
  column_default: string | null
}

async function columns(database: Database, table: string): Promise<Record<string, ColumnInfo>> {
  const { rows } = await sql<ColumnInfo>`
    select column_name, data_type, character_maximum_length, is_nullable, column_default
    from information_schema.columns where table_schema = 'public' and table_name = ${table}`.execute(
    database.db,
  )
  return Object.fromEntries(rows.map((r) => [r.column_name, r]))
}

async function indexes(database: Database, table: string): Promise<Record<string, string>> {
  const { rows } = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = ${table}`.execute(
    database.db,
  )
  return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]))
}

function schemaChecks(database: () => Database): void {
  it('keeps the seed columns of recordings with their types', async () => {
    const c = await columns(database(), 'recordings')
    expect(c.id).toMatchObject({ data_type: 'uuid', is_nullable: 'NO', column_default: 'gen_random_uuid()' })
    expect(c.session_id).toMatchObject({ data_type: 'uuid', is_nullable: 'NO' })
    expect(c.user_id).toMatchObject({ data_type: 'uuid', is_nullable: 'NO' })
    expect(c.status).toMatchObject({
      data_type: 'character varying',
      character_maximum_length: 50,
      is_nullable: 'NO',
    })
    expect(c.duration).toMatchObject({ data_type: 'integer' })
    expect(c.storage_path).toMatchObject({ data_type: 'character varying', character_maximum_length: 500 })
    expect(c.created_at).toMatchObject({ data_type: 'timestamp with time zone' })
    expect(c.updated_at).toMatchObject({ data_type: 'timestamp with time zone' })
  })

  it('adds a column for every Recording field', async () => {
    const c = await columns(database(), 'recordings')
    expect(c.size_bytes?.data_type).toBe('bigint')
    expect(c.upload_length).toMatchObject({ data_type: 'bigint', is_nullable: 'YES' })
    expect(c.name).toMatchObject({ data_type: 'character varying', is_nullable: 'YES' })
    for (const name of ['started_at', 'stopped_at', 'last_activity_at']) {
      expect(c[name]?.data_type).toBe('timestamp with time zone')
    }
    for (const name of ['quality', 'format', 'checksum', 'stop_reason', 'failure_reason'])
      expect(c[name]).toBeDefined()
  })

  it('has the seed indexes, the one-active-per-session index and one index per list shape', async () => {
    const i = await indexes(database(), 'recordings')
    expect(i.idx_recordings_session_id).toMatch(/\(session_id\)$/)
    expect(i.idx_recordings_user_id).toMatch(/\(user_id\)$/)
    expect(i.uq_recordings_active_session).toMatch(/^CREATE UNIQUE INDEX .*\(user_id, session_id\) WHERE/)
    expect(i.idx_recordings_user_created).toMatch(/\(user_id, created_at DESC, id DESC\)$/)
    expect(i.idx_recordings_user_status_created).toMatch(/\(user_id, status, created_at DESC, id DESC\)$/)
    expect(i.idx_recordings_user_session_created).toMatch(
      /\(user_id, session_id, created_at DESC, id DESC\)$/,
    )
    expect(i.idx_recordings_active_started).toMatch(/\(started_at\) WHERE/)
    expect(i.idx_recordings_active_last_activity).toBeUndefined()
    const k = await indexes(database(), 'idempotency_keys')
    expect(k.idempotency_keys_pkey).toMatch(/\(user_id, key\)$/)
    expect(k.idx_idempotency_keys_expires_at).toMatch(/\(expires_at\)$/)
  })

  it('accepts every value the domain defines and rejects others (CHECK constraints)', async () => {
    await truncateAll(database())
    const repo = new PostgresRecordingRepo(database().db)
    for (const status of RECORDING_STATUSES) await repo.create(makeRecording({ status }), null)
    for (const quality of QUALITIES)
      await repo.create(makeRecording({ config: { quality, format: 'webm' } }), null)
    for (const format of FORMATS)
      await repo.create(makeRecording({ config: { quality: 'low', format } }), null)
    for (const stopReason of STOP_REASONS) await repo.create(makeRecording({ stopReason }), null)
    const bad = sql`update recordings set status = 'paused'`.execute(database().db)
    await expect(bad).rejects.toMatchObject({ code: '23514', constraint: 'recordings_status_check' })
  })

  it('does nothing when run again', async () => {
    expect(await migrateToLatest(database().db)).toEqual([])
  })
}

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: migrations`, () => {
  schemaChecks(useMigratedDatabase('postgres'))

  it('survives two instances starting at once on an empty database', async () => {
    if (TEST_DATABASE_URL === null) return
    const scratch = await createScratchDatabase(TEST_DATABASE_URL)
    const a = await openDatabase({ url: scratch.url, dataDir: null })
    const b = await openDatabase({ url: scratch.url, dataDir: null })
    try {
      const [ranA, ranB] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)])
      // One instance applies everything; the other waits on the lock and finds nothing to do.
      expect([...ranA, ...ranB].sort()).toEqual([
        '0001-create-recordings',
        '0002-create-idempotency-keys',
        '0003-index-completed-created',
        '0004-hot-progress-updates',
        '0005-upload-name-and-length',
        '0006-blob-uploads-and-writer-leases',
        '0007-recording-media',
      ])
      const { rows } = await sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(a.db)
      expect(Number(rows[0]?.n)).toBe(7)
    } finally {
      await Promise.allSettled([a.close(), b.close()])
      await scratch.drop()
    }
  })
})

describe('PGlite: migrations', () => {
  schemaChecks(useMigratedDatabase('pglite'))

  it('does not skip the checks when the database ran a migration this code does not know', async () => {
    const database = await openDatabase({ url: null, dataDir: null })
    try {
      await migrateToLatest(database.db)
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-a-newer-version', '2026-12-02T00:00:00Z')`.execute(
        database.db,
      )
      // The quick "all applied" read must not pass this by: Kysely's Migrator reports it.
      await expect(migrateToLatest(database.db)).rejects.toThrow(/9999-from-a-newer-version/)
    } finally {
      await database.close()
    }
  })
})
