import type { ListQuery, RecordingPage, RecordingRepo } from './ports/recording-repo.js'
import type { TotalsCache } from './ports/totals-cache.js'

/** Without a totals cache every list counts its rows. */
export const NO_TOTALS: TotalsCache = {
  get: async () => ({ total: null, generation: '' }),
  set: async () => {},
  forget: async () => {},
}

interface ListDeps {
  readonly repo: RecordingRepo
  readonly totals: TotalsCache
  readonly cacheTtlSeconds: number
}

/**
 * A page of the user's recordings. Counting the matching rows is the costly part of a page at
 * thousands of recordings (bench/NOTES.md), so the total is kept per user and filter until a
 * recording of the user is created, deleted or changes status; a cache that fails is a miss.
 */
export async function listWithTotals(
  { repo, totals, cacheTtlSeconds }: ListDeps,
  query: ListQuery,
  warn: (what: string, error: unknown) => void,
): Promise<RecordingPage> {
  const filter = `status:${query.status ?? '*'}|session:${query.sessionId ?? '*'}`
  const cached = await totals.get(query.userId, filter).catch((error: unknown) => {
    warn('totals get', error)
    return null
  })
  if (cached?.total != null) return { items: await repo.listItems(query), total: cached.total }
  const page = await repo.list(query)
  if (cached) {
    await totals
      .set(query.userId, filter, cached.generation, page.total, cacheTtlSeconds)
      .catch((error: unknown) => warn('totals set', error))
  }
  return page
}
