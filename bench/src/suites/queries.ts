import { PostgresRecordingRepo, type Tables } from '@rec/adapters-postgres'
import type { ListQuery } from '@rec/domain'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { percentile } from '../lib/stats.js'
import { HEAVY_SESSION, HEAVY_USER } from './seed.js'

export interface ListFilter {
  readonly name: string
  readonly query: string
}

/** Each filter the list accepts, on the heavy user: every one matches all 10,000 of its rows. */
export const LIST_FILTERS: readonly ListFilter[] = [
  { name: 'all', query: '' },
  { name: 'by status', query: 'status=completed' },
  { name: 'by session', query: `sessionId=${HEAVY_SESSION}` },
]

/**
 * The cursor of page `page` (limit 20) of `query`, walked through the API as a client would
 * (limit 100 first: a cursor is a position, whatever the limit that produced it).
 */
export async function cursorForPage(
  base: string,
  token: string,
  query: string,
  page: number,
): Promise<string> {
  let cursor = ''
  let skipped = 0
  const headers = { authorization: `Bearer ${token}` }
  while (skipped < (page - 1) * 20) {
    const limit = (page - 1) * 20 - skipped >= 100 ? 100 : 20
    const res = await fetch(`${base}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, {
      headers,
    })
    const body = (await res.json()) as { pagination?: { nextCursor?: string | null } }
    const next = body.pagination?.nextCursor
    if (res.status !== 200 || !next) throw new Error(`no cursor past ${skipped} rows (${res.status})`)
    cursor = next
    skipped += limit
  }
  return cursor
}

/** One request at a time (no queueing in the figure): p50 and p99 ms of `count` requests. */
export async function sequentialLatency(
  url: string,
  token: string,
  count: number,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' },
    })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
    times.push(performance.now() - started)
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

export interface Plan {
  readonly statement: string
  readonly scans: readonly string[]
  readonly seqScan: boolean
  readonly executionMs: number
}

/**
 * Runs every repository method once through a Kysely that records what it sends, so the shapes
 * are exactly the ones production issues, then EXPLAIN ANALYZEs each inside a rolled-back
 * transaction (ANALYZE executes writes too).
 */
export async function explainRepoQueries(url: string): Promise<Plan[]> {
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  const seen = new Map<string, readonly unknown[]>()
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      const sql = event.query.sql
      if (/^\s*(select|insert|update|delete|with)/i.test(sql) && !seen.has(sql))
        seen.set(sql, event.query.parameters)
    },
  })
  try {
    await exerciseRepo(new PostgresRecordingRepo(db))
    const plans: Plan[] = []
    for (const [sql, parameters] of seen) plans.push(await explain(pool, sql, parameters))
    return plans
  } finally {
    await db.destroy()
  }
}

async function exerciseRepo(repo: PostgresRecordingRepo): Promise<void> {
  const base: ListQuery = { userId: HEAVY_USER, status: null, sessionId: null, page: 500, limit: 20 }
  for (const filter of [{}, { status: 'completed' as const }, { sessionId: HEAVY_SESSION }]) {
    await repo.list({ ...base, ...filter })
  }
  await repo.list({ ...base, status: 'completed', sessionId: HEAVY_SESSION })
  const [sample] = (await repo.list({ ...base, page: 1, limit: 1 })).items
  if (!sample) throw new Error('the heavy user has no recordings: was the database seeded?')
  const after = { createdAt: sample.createdAt, id: sample.id }
  for (const filter of [{}, { status: 'completed' as const }, { sessionId: HEAVY_SESSION }]) {
    await repo.list({ ...base, ...filter, after })
  }
  await repo.findCompletedBefore(new Date(Date.now() - 30 * 86400_000), 100)
  await repo.findById(sample.id)
  await repo.update({ ...sample, updatedAt: new Date() }, 'recording')
  await repo.delete(crypto.randomUUID())
  await repo.findExpired(new Date(Date.now() - 300_000), new Date(Date.now() - 4 * 3600_000), 100)
  await repo.deleteExpiredClaims(new Date(0))
  const fresh = {
    ...sample,
    id: crypto.randomUUID(),
    sessionId: crypto.randomUUID(),
    status: 'recording' as const,
  }
  const claim = {
    userId: HEAVY_USER,
    key: 'bench',
    fingerprint: '[]',
    expiresAt: new Date(Date.now() + 1000),
  }
  await repo.create(fresh, claim)
  await repo.create({ ...fresh, id: crypto.randomUUID() }, claim)
  await repo.delete(fresh.id)
}

async function explain(pool: pg.Pool, sql: string, parameters: readonly unknown[]): Promise<Plan> {
  const client = await pool.connect()
  try {
    await client.query('begin')
    const result = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, [
      ...parameters,
    ])
    await client.query('rollback')
    const text = result.rows.map((row) => row['QUERY PLAN']).join('\n')
    const scans = [
      ...text.matchAll(
        /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)? (?:using (\S+) )?on (\S+)/g,
      ),
    ].map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''} on ${m[3]}`)
    return {
      statement: sql.replace(/\s+/g, ' ').slice(0, 160),
      scans: [...new Set(scans)],
      seqScan: /Seq Scan/.test(text),
      executionMs: Number(text.match(/Execution Time: ([\d.]+) ms/)?.[1] ?? Number.NaN),
    }
  } finally {
    client.release()
  }
}
