import { DependencyUnavailableError } from '@rec/domain'
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import * as createRecordings from './migrations/0001-create-recordings.js'
import * as createIdempotencyKeys from './migrations/0002-create-idempotency-keys.js'
import * as indexCompletedCreated from './migrations/0003-index-completed-created.js'
import * as hotProgressUpdates from './migrations/0004-hot-progress-updates.js'
import * as uploadNameAndLength from './migrations/0005-upload-name-and-length.js'
import * as blobUploadsAndWriterLeases from './migrations/0006-blob-uploads-and-writer-leases.js'
import * as recordingMedia from './migrations/0007-recording-media.js'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'

// Listed in code rather than read from a folder, so the bundle and the tests can never disagree
// about which migrations exist, and no file-system lookup depends on where dist/ ends up.
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-create-recordings': createRecordings,
  '0002-create-idempotency-keys': createIdempotencyKeys,
  '0003-index-completed-created': indexCompletedCreated,
  '0004-hot-progress-updates': hotProgressUpdates,
  '0005-upload-name-and-length': uploadNameAndLength,
  '0006-blob-uploads-and-writer-leases': blobUploadsAndWriterLeases,
  '0007-recording-media': recordingMedia,
}

class InCodeMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...MIGRATIONS }
  }
}

// Kysely's Migrator locks only around running migrations; its own bookkeeping tables are created
// before that. This session lock covers the whole run, so instances starting together wait for
// each other instead of racing on `create table`. The key is arbitrary but fixed ("REC1").
const LOCK_KEY = sql.lit(0x52454331)

/**
 * Brings the schema up to date; safe to call from several instances at once. Resolves with the
 * names of the migrations this call applied. Rejects with DependencyUnavailableError when the
 * database cannot be reached, or with the failing migration's error.
 */
export async function migrateToLatest(db: Kysely<Tables>): Promise<readonly string[]> {
  if (await upToDate(db)) return []
  try {
    // One connection throughout: a session-level advisory lock belongs to the connection that took it.
    return await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn)
      try {
        const migrator = new Migrator({ db: conn, provider: new InCodeMigrationProvider() })
        const { error, results = [] } = await migrator.migrateToLatest()
        if (error !== undefined) throw error
        return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn)
      }
    })
  } catch (error) {
    throw translateError(error)
  }
}

/**
 * True when the database has applied exactly the migrations this code knows: then there is nothing
 * to lock or run, and one read replaces the Migrator's dozen statements (its bookkeeping tables,
 * lock row and transaction: 0.28 s of the embedded database's start, bench/NOTES.md). Any doubt
 * (no bookkeeping table yet, a migration missing or unknown, an outage) goes the full way, which
 * applies, waits on another instance or reports the error; an outage rejects at once.
 */
async function upToDate(db: Kysely<Tables>): Promise<boolean> {
  try {
    // Looked up first: a select from a table that is not there would be an error in the server's log.
    const table = await sql<{ present: boolean }>`
      select to_regclass('kysely_migration') is not null as present`.execute(db)
    if (table.rows[0]?.present !== true) return false
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    const known = Object.keys(MIGRATIONS)
    return rows.length === known.length && rows.every((r) => Object.hasOwn(MIGRATIONS, r.name))
  } catch (error) {
    // An outage is reported as the full way would report it, without trying again.
    const translated = translateError(error)
    if (translated instanceof DependencyUnavailableError) throw translated
    return false
  }
}
