import { OffsetMismatchError } from '@rec/domain'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import { setMediaHeaders } from '../routes/content-routes.js'
import { etagOf } from '../routes/range.js'
import { IdParamsSchema } from '../schemas/request-schemas.js'
import { type StoreBodyDeps, storeBody } from './store-body.js'
import { decimalHeader, requireUploadType } from './tus-protocol.js'
import { setUploadHeaders } from './upload-headers.js'

export interface TusContentDeps extends StoreBodyDeps {
  /** Called after a termination removed a recording, so an attached stream can be closed. */
  readonly onDeleted: (id: string) => Promise<void>
}

type TusMethod = 'HEAD' | 'PATCH' | 'DELETE'
const OVERRIDABLE: readonly string[] = ['HEAD', 'PATCH', 'DELETE']

/** The method a tus request means: its own, or on POST the one X-HTTP-Method-Override names. */
function tusMethod(c: Context<AppEnv>): TusMethod | null {
  const method = c.req.method
  if (method === 'POST') {
    const override = c.req.header('X-HTTP-Method-Override')?.trim().toUpperCase()
    if (override === undefined) return null
    if (!OVERRIDABLE.includes(override)) {
      throw new HttpProblem('VALIDATION_FAILED', {
        detail: 'X-HTTP-Method-Override must be PATCH, DELETE or HEAD',
        errors: [{ path: 'headers.x-http-method-override', message: 'must be PATCH, DELETE or HEAD' }],
      })
    }
    return override as TusMethod
  }
  return OVERRIDABLE.includes(method) ? (method as TusMethod) : null
}

function recordingId(c: Context<AppEnv>): string {
  const parsed = IdParamsSchema.safeParse({ id: c.req.param('id') })
  if (!parsed.success) {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: 'id must be a UUID',
      errors: [{ path: 'params.id', message: 'must be a UUID' }],
    })
  }
  return parsed.data.id
}

/**
 * The upload URL (`/recordings/:id/content`) for requests that carry `Tus-Resumable` (SPEC §9):
 * HEAD, PATCH, DELETE (termination), and POST with X-HTTP-Method-Override. Every other request
 * goes on to the routes of SPEC §5 unchanged.
 */
export function tusContent(deps: TusContentDeps): MiddlewareHandler<AppEnv> {
  return async function tusContent(c, next) {
    if (c.req.header('Tus-Resumable') === undefined) return next()
    const method = tusMethod(c)
    if (method === null) return next()
    const id = recordingId(c)
    if (method === 'HEAD') return head(c, deps, id)
    if (method === 'DELETE') {
      await deps.service.delete(c.get('userId'), id)
      await deps.onDeleted(id)
      return c.body(null, 204)
    }
    return patch(c, deps, id)
  }
}

async function head(c: Context<AppEnv>, deps: TusContentDeps, id: string): Promise<Response> {
  const state = await deps.service.uploadState(c.get('userId'), id)
  setUploadHeaders(c, state)
  if (state.kind === 'completed') {
    setMediaHeaders(c, state.recording, etagOf(state.recording.checksum))
    // Only a real HEAD announces the download's length: a POST-as-HEAD answer has no body at all.
    if (c.req.method === 'HEAD') c.header('Content-Length', String(state.recording.sizeBytes))
  }
  c.header('Cache-Control', 'no-store')
  return c.body(null, 200)
}

async function patch(c: Context<AppEnv>, deps: TusContentDeps, id: string): Promise<Response> {
  requireUploadType(c.req.header('Content-Type'))
  const offset = decimalHeader(c.req.header('Upload-Offset'), 'Upload-Offset')
  if (offset === null) {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: 'Upload-Offset is required',
      errors: [{ path: 'headers.upload-offset', message: 'required' }],
    })
  }
  const length = decimalHeader(c.req.header('Upload-Length'), 'Upload-Length')
  const userId = c.get('userId')
  if (length !== null) await deps.service.declareLength(userId, id, length)
  const before = await deps.service.uploadState(userId, id)
  // Refused before a byte is read: a wrong offset would be refused by storage anyway.
  const stored = before.kind === 'uploading' ? before.offset : before.recording.sizeBytes
  if (stored !== offset) throw new OffsetMismatchError(stored, offset)
  if (before.kind === 'completed') {
    setUploadHeaders(c, before)
    return c.body(null, 204)
  }
  const end = before.recording.uploadLength ?? deps.service.limits.maxBytes
  const result = await storeBody(c, deps, { id, offset, remaining: Math.max(0, end - offset) })
  // The append says where the upload stands: no second look.
  const after = result.completed
    ? ({ kind: 'completed', recording: result.completed } as const)
    : (result.upload ?? (await deps.service.uploadState(userId, id)))
  setUploadHeaders(c, after)
  return c.body(null, 204)
}
