import { type Kysely, sql } from 'kysely'

// A stream saves its size and activity once a second. With `last_activity_at` the key of the
// janitor's index, every such save changed an indexed column, so PostgreSQL could not update the
// row in place (HOT) and added an entry to all eight indexes; at 2,000 streams that is 16,000
// index insertions a second. The janitor's index now keys on `started_at`, which never changes,
// and keeps the same partial predicate: active rows are few, so it scans them all and sorts them
// by activity in memory. A lower fill factor leaves room on each page for the in-place versions.
const statements = [
  sql`create index idx_recordings_active_started on recordings (started_at)
    where status in ('recording', 'stopping')`,
  sql`drop index idx_recordings_active_last_activity`,
  sql`alter table recordings set (fillfactor = 90)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index idx_recordings_active_last_activity on recordings (last_activity_at)
    where status in ('recording', 'stopping')`.execute(db)
  await sql`drop index idx_recordings_active_started`.execute(db)
  await sql`alter table recordings reset (fillfactor)`.execute(db)
}
