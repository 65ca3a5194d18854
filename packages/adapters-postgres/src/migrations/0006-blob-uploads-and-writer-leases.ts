import { type Kysely, sql } from 'kysely'

// The parts and tail objects of unfinished object-storage blobs (adapters-s3). s3rver has no
// ListParts, and a real bucket's listing is not a compare-and-set: the row is the truth of what is
// durable, and its version makes two writers of one blob exclude each other.
const statements = [
  sql`create table blob_uploads (
    key text primary key,
    version integer not null,
    upload_id text,
    next_part_number integer not null,
    parts jsonb not null,
    tail jsonb not null,
    size_bytes bigint,
    checksum text,
    updated_at timestamptz not null default now()
  )`,
  sql`create index idx_blob_uploads_unfinished on blob_uploads (updated_at) where checksum is null`,
  // One writer per recording across instances: the newest token taken is the only one that may
  // write. Not a column of recordings: taking it must not touch the row streams update each second.
  sql`create table writer_leases (
    key text primary key,
    token bigint not null,
    taken_at timestamptz not null default now()
  )`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table writer_leases`.execute(db)
  await sql`drop table blob_uploads`.execute(db)
}
