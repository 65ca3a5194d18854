import type { z } from '@hono/zod-openapi'
import type { ListPosition, RecordingPage, RecordingService } from '@rec/domain'
import { encodeCursor } from '../schemas/list-cursor.js'
import { type RecordingPageSchema, toRecordingDto } from '../schemas/recording-schema.js'

export type PageBody = z.infer<typeof RecordingPageSchema>

/** The list query as `ListQuerySchema` yields it. */
export interface ListParams {
  readonly page: number
  readonly limit: number
  readonly status?: PageBody['data'][number]['status'] | undefined
  readonly sessionId?: string | undefined
  readonly cursor?: ListPosition | undefined
}

/** List bodies by the domain's page object, keyed by what shapes the body besides it. */
const bodies = new WeakMap<RecordingPage, { readonly shape: string; readonly body: PageBody }>()

/**
 * `GET /recordings`: the page and its body. The domain answers a page it holds with the same
 * object, so its body is built once, and frozen, so `compressJson` (or the fast path) renders and
 * compresses it once too.
 */
export async function listPage(service: RecordingService, userId: string, q: ListParams): Promise<PageBody> {
  const { page, limit, cursor } = q
  const result = await service.list({
    userId,
    page,
    limit,
    status: q.status ?? null,
    sessionId: q.sessionId ?? null,
    after: cursor,
  })
  const shape = `${cursor ? '-' : page}|${limit}`
  const known = bodies.get(result)
  if (known?.shape === shape) return known.body
  const last = result.items.at(-1)
  const body: PageBody = Object.freeze({
    data: result.items.map(toRecordingDto),
    pagination: {
      page: cursor ? null : page,
      limit,
      total: result.total,
      totalPages: Math.ceil(result.total / limit),
      nextCursor:
        last && result.items.length === limit && (cursor || page * limit < result.total)
          ? encodeCursor(last)
          : null,
    },
  })
  bodies.set(result, { shape, body })
  return body
}
