import type { ListQuery } from '@rec/domain'
import { type Kysely, sql } from 'kysely'
import type { Tables } from './tables.js'

// Literal, not bound, so the planner can prove these queries match the partial indexes' predicate.
const isActive = sql<boolean>`status in ('recording', 'stopping')`

/**
 * The read queries the repository runs, as builders, so tests can EXPLAIN exactly what runs in
 * production. Each matches one index from migration 0001.
 */
export const recordingQueries = {
  matching(db: Kysely<Tables>, query: ListQuery) {
    let q = db.selectFrom('recordings').where('user_id', '=', query.userId)
    if (query.status !== null) q = q.where('status', '=', query.status)
    if (query.sessionId !== null) q = q.where('session_id', '=', query.sessionId)
    return q
  },

  /** One page, newest first; `id` breaks ties so pages never overlap or skip. */
  listPage(db: Kysely<Tables>, query: ListQuery) {
    const ordered = recordingQueries
      .matching(db, query)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
    const { after } = query
    // A row comparison the list indexes answer as one range: the page starts where the last ended.
    if (after) return ordered.where(sql<boolean>`(created_at, id) < (${after.createdAt}, ${after.id}::uuid)`)
    return ordered.offset((query.page - 1) * query.limit)
  },

  listCount(db: Kysely<Tables>, query: ListQuery) {
    return recordingQueries.matching(db, query).select((eb) => eb.fn.countAll().as('total'))
  },

  expired(db: Kysely<Tables>, idleBefore: Date, startedBefore: Date, limit: number) {
    return db
      .selectFrom('recordings')
      .selectAll()
      .where(isActive)
      .where((eb) => eb.or([eb('last_activity_at', '<', idleBefore), eb('started_at', '<', startedBefore)]))
      .orderBy('last_activity_at')
      .orderBy('id')
      .limit(limit)
  },

  /** Retention: the literal status matches the partial index of migration 0003. */
  completedBefore(db: Kysely<Tables>, createdBefore: Date, limit: number) {
    return db
      .selectFrom('recordings')
      .selectAll()
      .where(sql<boolean>`status = 'completed'`)
      .where('created_at', '<', createdBefore)
      .orderBy('created_at')
      .limit(limit)
  },
}
