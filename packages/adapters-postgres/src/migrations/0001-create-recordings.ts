import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: enum lists are literals here, never imported from the domain, so
// a later change to the domain cannot silently rewrite what an old migration did. Each statement
// runs on its own because PGlite's extended protocol takes one statement per query.
const statements = [
  sql`create table recordings (
    id uuid primary key default gen_random_uuid(),
    session_id uuid not null,
    user_id uuid not null,
    status varchar(50) not null
      constraint recordings_status_check check (status in ('recording', 'stopping', 'completed', 'failed')),
    duration integer constraint recordings_duration_check check (duration >= 0),
    storage_path varchar(500),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    quality varchar(10) not null default 'high'
      constraint recordings_quality_check check (quality in ('low', 'medium', 'high')),
    format varchar(10) not null default 'webm'
      constraint recordings_format_check check (format in ('webm', 'mp4', 'mkv', 'ogg', 'wav', 'mp3')),
    size_bytes bigint not null default 0 constraint recordings_size_bytes_check check (size_bytes >= 0),
    checksum varchar(100),
    stop_reason varchar(20) constraint recordings_stop_reason_check
      check (stop_reason in ('client', 'limit_size', 'limit_duration', 'idle_timeout')),
    failure_reason text,
    started_at timestamptz not null default now(),
    stopped_at timestamptz,
    last_activity_at timestamptz not null default now()
  )`,
  // The seed's two indexes keep their names; idx_recordings_user_id is covered by the list
  // indexes below but stays so that tooling written against the seed schema keeps working.
  sql`create index idx_recordings_session_id on recordings (session_id)`,
  sql`create index idx_recordings_user_id on recordings (user_id)`,
  // The database, not a check-then-insert in the application, is what guarantees one active
  // recording per (user, session): two instances racing on a start both reach this index.
  sql`create unique index uq_recordings_active_session on recordings (user_id, session_id)
    where status in ('recording', 'stopping')`,
  // One index per list shape, each ending in the sort order, so a page is an index range scan.
  sql`create index idx_recordings_user_created on recordings (user_id, created_at desc, id desc)`,
  sql`create index idx_recordings_user_status_created
    on recordings (user_id, status, created_at desc, id desc)`,
  sql`create index idx_recordings_user_session_created
    on recordings (user_id, session_id, created_at desc, id desc)`,
  // The janitor's scan: active rows are few, so a partial index stays small however many
  // completed recordings pile up.
  sql`create index idx_recordings_active_last_activity on recordings (last_activity_at)
    where status in ('recording', 'stopping')`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table recordings`.execute(db)
}
