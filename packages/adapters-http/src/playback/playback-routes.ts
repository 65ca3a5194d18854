import { OpenAPIHono } from '@hono/zod-openapi'
import { CONTENT_TYPES, type PlaybackAccess, type PlaybackGrant, PlaybackUrlInvalidError } from '@rec/domain'
import type { AppEnv } from '../env.js'
import { validationHook } from '../problems/validation-hook.js'
import { etagOf, ifRangeAllows, matchesNoneMatch, parseRange } from '../routes/range.js'
import { toReadableStream } from '../routes/to-readable-stream.js'
import { contentDisposition, downloadFileName } from './content-disposition.js'
import { getPlaybackRoute, headPlaybackRoute } from './playback-route-defs.js'

export interface PlaybackRouteDeps {
  readonly access: PlaybackAccess
}

/** `expires` as the signer saw it: Unix seconds in decimal digits, nothing else. */
function grantOf(id: string, expires: string | undefined): PlaybackGrant {
  if (expires === undefined || !/^\d{1,11}$/.test(expires)) throw new PlaybackUrlInvalidError()
  return { recordingId: id, expiresAt: new Date(Number(expires) * 1000) }
}

/**
 * `GET|HEAD /playback/:id?expires=&signature=` (SPEC §10), outside `/api/v1`: no JWT, no rate
 * limit; the signature is the only authority and opens this one recording's media. The request
 * log never sees it (it logs the path without the query).
 */
export function createPlaybackRoutes({ access }: PlaybackRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openAPIRegistry.registerPath(headPlaybackRoute)

  app.openapi(getPlaybackRoute, async (c) => {
    const { id } = c.req.valid('param')
    const query = c.req.valid('query')
    const headers = c.req.valid('header')
    const recording = await access.open(grantOf(id, query.expires), query.signature ?? '')
    const served = access.served(recording)
    const etag = etagOf(served.checksum)
    // Revalidated on each use, so a deleted recording does not keep playing from a cache.
    c.header('Cache-Control', 'private, no-cache')
    if (etag) c.header('ETag', etag)
    if (etag && matchesNoneMatch(headers['if-none-match'], etag)) return c.body(null, 304)
    const requested =
      etag && !ifRangeAllows(c.req.header('If-Range'), etag) ? null : parseRange(headers.range)
    // Before any media header: a 416 is a problem document, not media.
    const range = access.range(recording, requested)
    c.header('Content-Type', CONTENT_TYPES[recording.config.format])
    c.header('Accept-Ranges', 'bytes')
    const disposition = query.download === '1' ? 'attachment' : 'inline'
    c.header('Content-Disposition', contentDisposition(disposition, downloadFileName(recording)))
    // The URL is the credential: any page holding it may play it, with or without `crossorigin`.
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('X-Content-Type-Options', 'nosniff')
    const size = served.sizeBytes
    c.header('Content-Length', String(range ? range.end - range.start + 1 : size))
    if (range) c.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
    const status = range ? 206 : 200
    // HEAD: the headers only; the media is not even opened.
    if (c.req.method === 'HEAD') return c.body(null, status)
    return c.body(toReadableStream(await access.read(recording, range)), status)
  })

  return app
}
