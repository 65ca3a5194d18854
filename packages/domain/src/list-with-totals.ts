import { ListPages } from './list-pages.js'
import type { Clock } from './ports/clock.js'
import type { ListVersions } from './ports/list-versions.js'
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

interface CachedListDeps extends ListDeps {
  readonly versions: ListVersions | null
  readonly pages: ListPages
  readonly clock: Clock
}

/**
 * A page of the user's recordings, from the pages this process holds when the user's list
 * version is still the one it was read at. The version is read before the repository, so a page
 * kept under it never predates a write that moved it: a write bumps the version only after it
 * committed, and a read that saw the old version keeps its page under the old version, which no
 * later read asks for. With the versions' store down every read goes to the repository.
 */
export async function listCached(
  deps: CachedListDeps,
  query: ListQuery,
  warn: (what: string, error: unknown) => void,
): Promise<RecordingPage> {
  const version = deps.versions
    ? await deps.versions.current(query.userId).catch((error: unknown) => {
        warn('list version', error)
        return null
      })
    : null
  const key = version === null ? null : ListPages.key(query, version)
  const now = deps.clock.now().getTime()
  const held = key === null ? null : deps.pages.get(key, now)
  if (held) return held
  const page = await listWithTotals(deps, query, warn)
  if (key !== null) deps.pages.set(key, page, now + deps.cacheTtlSeconds * 1000)
  return page
}
