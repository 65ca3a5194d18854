import { OpenAPIHono } from '@hono/zod-openapi'
import { CONTENT_TYPES, type Recording, type RecordingService, servedBlob } from '@rec/domain'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { contentDisposition, downloadFileName } from '../playback/content-disposition.js'
import { HttpProblem } from '../problems/http-problem.js'
import { validationHook } from '../problems/validation-hook.js'
import { getContentRoute, headContentRoute, patchContentRoute } from './content-route-defs.js'
import { etagOf, ifRangeAllows, matchesNoneMatch, parseRange } from './range.js'
import { requestBody } from './request-body.js'
import { toReadableStream } from './to-readable-stream.js'

export interface ContentRouteDeps {
  readonly service: RecordingService
  /** Told how many bytes each PATCH stored (metrics). */
  readonly onStored?: (bytes: number) => void
}

const UPLOAD_TYPE = 'application/offset+octet-stream'

/** tus requires this exact media type; checked before the headers so the answer is 415, not 400. */
const requireUploadType: MiddlewareHandler<AppEnv> = async function requireUploadType(c, next) {
  const type = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase()
  if (type !== UPLOAD_TYPE) {
    throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', { detail: `Content-Type must be ${UPLOAD_TYPE}` })
  }
  await next()
}

/** Headers of a completed recording's media, shared by GET and HEAD. */
export function setMediaHeaders(c: Context<AppEnv>, recording: Recording, etag: string | null): void {
  c.header('Content-Type', CONTENT_TYPES[recording.config.format])
  c.header('Accept-Ranges', 'bytes')
  // Private media behind a bearer token: a browser may keep it, shared caches must not.
  c.header('Cache-Control', 'private, no-cache')
  // The API download is a download; playback URLs serve `inline` for players.
  c.header('Content-Disposition', contentDisposition('attachment', downloadFileName(recording)))
  if (etag) c.header('ETag', etag)
}

/** `/api/v1/recordings/:id/content`: download (GET/HEAD) and resumable upload (PATCH). */
export function createContentRoutes({ service, onStored }: ContentRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openAPIRegistry.registerPath(headContentRoute)

  app.openapi(getContentRoute, async (c) => {
    const { id } = c.req.valid('param')
    const userId = c.get('userId')
    if (c.req.method === 'HEAD') {
      const state = await service.contentState(userId, id)
      if (state.kind === 'uploading') {
        c.header('Upload-Offset', String(state.offset))
        c.header('Cache-Control', 'no-store')
        return c.body(null, 200)
      }
      const etag = etagOf(state.recording.checksum)
      setMediaHeaders(c, state.recording, etag)
      c.header('Content-Length', String(state.recording.sizeBytes))
      return c.body(null, 200)
    }
    // Looks the recording up first: ETag and If-Range need its checksum before a range is chosen.
    const recording = await service.get(userId, id)
    const { variant } = c.req.valid('query')
    const etag = recording.status === 'completed' ? etagOf(servedBlob(recording, variant).checksum) : null
    const headers = c.req.valid('header')
    if (etag && matchesNoneMatch(headers['if-none-match'], etag)) {
      c.header('ETag', etag)
      return c.body(null, 304)
    }
    const requested = etag && ifRangeAllows(c.req.header('If-Range'), etag) ? parseRange(headers.range) : null
    const content = await service.content(userId, id, requested, variant)
    setMediaHeaders(c, content.recording, etag)
    const size = content.served.sizeBytes
    const body = toReadableStream(content.body)
    if (!content.range) {
      c.header('Content-Length', String(size))
      return c.body(body, 200)
    }
    const { start, end } = content.range
    c.header('Content-Length', String(end - start + 1))
    c.header('Content-Range', `bytes ${start}-${end}/${size}`)
    return c.body(body, 206)
  })

  app.openapi({ ...patchContentRoute, middleware: [requireUploadType] }, async (c) => {
    const { id } = c.req.valid('param')
    const offset = c.req.valid('header')['upload-offset']
    const result = await service.append({
      userId: c.get('userId'),
      id,
      offset,
      body: requestBody(c),
      // Each upload request is a writer: it takes the lease, so an older one anywhere stops.
      fence: 'take',
    })
    onStored?.(result.offset - offset)
    c.header('Upload-Offset', String(result.offset))
    // A limit completed the recording; tus has no word for it, so the status tells (HEAD, GET).
    return c.body(null, 204)
  })

  return app
}
