import { type Kysely, sql } from 'kysely'

// The retention sweep: completed recordings by age across every user. Partial, so it costs
// nothing on active rows, and the sweep's scan is an index range however large the table grows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index idx_recordings_completed_created on recordings (created_at)
    where status = 'completed'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index idx_recordings_completed_created`.execute(db)
}
