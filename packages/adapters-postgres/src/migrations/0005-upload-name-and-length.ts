import { type Kysely, sql } from 'kysely'

// tus uploads (SPEC §9): `name` keeps the client's file name (Upload-Metadata `filename`), and
// `upload_length` the size it announced (Upload-Length), which completes the recording once
// reached. Both nullable: streams have neither, and a deferred length arrives later. Adding
// nullable columns without a default rewrites no row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table recordings add column name varchar(500), add column upload_length bigint`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table recordings drop column name, drop column upload_length`.execute(db)
}
