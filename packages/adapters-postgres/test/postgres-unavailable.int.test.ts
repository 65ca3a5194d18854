import { DependencyUnavailableError } from '@rec/domain'
import { makeRecording } from '@rec/domain/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, migrateToLatest, openDatabase, PostgresRecordingRepo } from '../src/index.js'
import { translateError } from '../src/translate-error.js'
import {
  createScratchDatabase,
  POSTGRES_SUITE,
  type ScratchDatabase,
  TEST_DATABASE_URL,
} from './support/test-databases.js'

describe('PostgreSQL that is not running', () => {
  // Nothing listens on port 1: the connect is refused at once, as when the server is stopped.
  let database: Database
  beforeAll(async () => {
    database = await openDatabase({
      url: 'postgres://postgres@127.0.0.1:1/none',
      dataDir: null,
      connectTimeoutMs: 1000,
    })
  })
  afterAll(async () => {
    await database.close()
  })

  it('rejects every call quickly with DependencyUnavailableError instead of hanging', async () => {
    const repo = new PostgresRecordingRepo(database.db)
    const started = Date.now()
    const calls: Promise<unknown>[] = [
      database.ping(),
      migrateToLatest(database.db),
      repo.create(makeRecording(), null),
      repo.findById(makeRecording().id),
      repo.list({ userId: makeRecording().userId, status: null, sessionId: null, page: 1, limit: 10 }),
      repo.findExpired(new Date(), new Date(), 10),
    ]
    for (const call of calls) {
      const error = await call.then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(DependencyUnavailableError)
      expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'postgres' })
    }
    expect(Date.now() - started).toBeLessThan(3000)
  })
})

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: outages`, () => {
  let scratch: ScratchDatabase
  let database: Database
  const idleErrors: Error[] = []
  beforeAll(async () => {
    if (TEST_DATABASE_URL === null) return
    scratch = await createScratchDatabase(TEST_DATABASE_URL)
    database = await openDatabase({
      url: scratch.url,
      dataDir: null,
      statementTimeoutMs: 300,
      onIdleError: (error) => idleErrors.push(error),
    })
    await migrateToLatest(database.db)
  })
  afterAll(async () => {
    await database?.close()
    await scratch?.drop()
  })

  it('survives the server dropping idle connections, and reconnects', async () => {
    await database.ping()
    expect(database.poolStats().idle).toBeGreaterThan(0)
    // What a server restart or failover does to the pool's idle connections.
    const admin = await openDatabase({ url: TEST_DATABASE_URL, dataDir: null })
    try {
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = ${new URL(scratch.url).pathname.slice(1)} and pid <> pg_backend_pid()`.execute(
        admin.db,
      )
    } finally {
      await admin.close()
    }
    await expect.poll(() => idleErrors.length).toBeGreaterThan(0)
    await database.ping()
    expect(await new PostgresRecordingRepo(database.db).findById(makeRecording().id)).toBeNull()
  })

  it('gives up on a statement past the statement timeout', async () => {
    const started = Date.now()
    const error = await sql`select pg_sleep(5)`.execute(database.db).then(
      () => null,
      (e: unknown) => e,
    )
    expect(Date.now() - started).toBeLessThan(2000)
    expect(error).toMatchObject({ code: '57014' })
    expect(translateError(error)).toBeInstanceOf(DependencyUnavailableError)
  })
})
