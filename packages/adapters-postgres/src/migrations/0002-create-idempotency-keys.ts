import { type Kysely, sql } from 'kysely'

// No foreign key to recordings: a claim outlives a deleted recording for its 24 h so that a retry
// is still recognised as a retry instead of starting a second recording.
const statements = [
  sql`create table idempotency_keys (
    user_id uuid not null,
    key text not null,
    fingerprint text not null,
    recording_id uuid not null,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    primary key (user_id, key)
  )`,
  // Lets a periodic purge of expired claims avoid a full scan.
  sql`create index idx_idempotency_keys_expires_at on idempotency_keys (expires_at)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db)
}
