import pg from 'pg'

/** The user whose list the HTTP and deep-page figures read: 10,000 recordings in one session. */
export const HEAVY_USER = '00000000-0000-4000-8000-00000000beef'
export const HEAVY_SESSION = '00000000-0000-4000-8000-00000000cafe'
export const HEAVY_ROWS = 10_000

/**
 * Fills `recordings` in SQL (generate_series): `total` rows, HEAVY_ROWS of them the heavy user's
 * (all completed, one session, so every filter's page 500 is a full page: OFFSET's worst case),
 * the rest spread over `users - 1` users with a few sessions each and 2 % failed. Plus 200,000
 * idempotency claims so their purge has a table worth an index. Then VACUUM ANALYZE, as
 * autovacuum would after a bulk load, so plans see real statistics and a visibility map.
 * Timestamps are whole seconds: the service writes millisecond ones (JavaScript dates), which
 * list cursors carry exactly.
 */
export async function seedDatabase(url: string, total: number, users: number): Promise<number> {
  const started = performance.now()
  // The bulk rows are written by two connections at once, half the range each: index upkeep is most
  // of the load, and PostgreSQL runs each connection on its own core (about half the wall time).
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query('set synchronous_commit = off')
    return client
  }
  const clients = [await connect(), await connect()] as const
  const [a, b] = clients
  const bulk = total - HEAVY_ROWS
  const half = Math.floor(bulk / 2)
  try {
    await Promise.all([
      a.query(
        `insert into recordings (id, session_id, user_id, status, duration, storage_path, created_at, updated_at,
           quality, format, size_bytes, checksum, stop_reason, started_at, stopped_at, last_activity_at)
         select id, $1, $2, 'completed', 60000, id::text, t, t, 'high', 'webm', 1000000, 'sha256:00', 'client', t, t, t
         from (select gen_random_uuid() as id, date_trunc('second', now()) - make_interval(secs => g * 60) as t
               from generate_series(1, $3::int) g) s`,
        [HEAVY_SESSION, HEAVY_USER, HEAVY_ROWS],
      ),
      b.query(
        `insert into idempotency_keys (user_id, key, fingerprint, recording_id, expires_at, created_at)
         select md5('u' || (g % 1000))::uuid, 'k' || g, '[]', gen_random_uuid(),
                now() + make_interval(secs => g), now()
         from generate_series(1, 200000) g`,
      ),
    ])
    const rows = (client: pg.Client, from: number, to: number) =>
      client.query(
        `insert into recordings (id, session_id, user_id, status, duration, storage_path, created_at, updated_at,
           quality, format, size_bytes, checksum, stop_reason, failure_reason, started_at, stopped_at, last_activity_at)
         select id, md5('s' || u || '-' || (g % 7))::uuid, md5('u' || u)::uuid, st,
           case when st = 'completed' then 30000 end, id::text, t, t, 'medium', 'webm',
           case when st = 'completed' then 500000 else 0 end,
           case when st = 'completed' then 'sha256:00' end,
           case when st = 'completed' then 'client' end,
           case when st = 'failed' then 'no media was received' end, t, t, t
         from (select gen_random_uuid() as id, g, g % ($3::int - 1) as u,
                      case when g % 50 = 0 then 'failed' else 'completed' end as st,
                      date_trunc('second', now()) - make_interval(secs => g) as t
               from generate_series($1::int, $2::int) g) s`,
        [from, to, users],
      )
    await Promise.all([rows(a, 1, half), rows(b, half + 1, bulk)])
    await Promise.all([a.query('vacuum analyze recordings'), b.query('vacuum analyze idempotency_keys')])
  } finally {
    await Promise.all(clients.map((c) => c.end()))
  }
  return (performance.now() - started) / 1000
}
