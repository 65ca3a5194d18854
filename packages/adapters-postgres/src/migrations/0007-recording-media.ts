import { type Kysely, sql } from 'kysely'

// What the stored container holds (SPEC §13): null until the media job has read it, then the
// facts, or `{ "error": … }` for bytes that are not readable media. `seekable`: the key, size and
// checksum of a seekable copy of a WebM that had no duration or cues. Both set once, together.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table recordings add column media jsonb, add column seekable jsonb`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table recordings drop column media, drop column seekable`.execute(db)
}
