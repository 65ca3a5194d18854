import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { type Database, migrateToLatest, openDatabase } from '../../src/index.js'

/** The real PostgreSQL server tests may use; null runs only the PGlite suites. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null

/** Names the real-PostgreSQL suites so a skipped run says why instead of passing silently. */
export const POSTGRES_SUITE = TEST_DATABASE_URL
  ? 'PostgreSQL'
  : 'PostgreSQL (skipped: TEST_DATABASE_URL is not set)'

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export interface ScratchDatabase {
  readonly url: string
  drop(): Promise<void>
}

/** A database of its own on the test server, so parallel test files never see each other's rows. */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `rec_test_${randomBytes(6).toString('hex')}`
  await admin(serverUrl, (c) => c.query(`create database ${name}`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () =>
      admin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  }
}

/**
 * Opens a migrated database for the current describe block and closes it after: a scratch database
 * on TEST_DATABASE_URL for 'postgres', one in-memory PGlite for 'pglite' (it takes seconds to start,
 * so it is shared by the block's tests). Call the returned function inside tests and hooks.
 */
export function useMigratedDatabase(kind: 'postgres' | 'pglite'): () => Database {
  let database: Database | null = null
  let scratch: ScratchDatabase | null = null
  beforeAll(async () => {
    if (kind === 'postgres') {
      if (TEST_DATABASE_URL === null) throw new Error('TEST_DATABASE_URL is not set')
      scratch = await createScratchDatabase(TEST_DATABASE_URL)
    }
    database = await openDatabase({ url: scratch?.url ?? null, dataDir: null })
    await migrateToLatest(database.db)
  })
  afterAll(async () => {
    try {
      await database?.close()
    } finally {
      await scratch?.drop()
    }
  })
  return () => {
    if (database === null) throw new Error('the database is opened in beforeAll')
    return database
  }
}

/** Empties every table between tests that share one database. */
export async function truncateAll(database: Database): Promise<void> {
  await sql`truncate recordings, idempotency_keys`.execute(database.db)
}
