import { createRoute, z } from '@hono/zod-openapi'
import { AUTHED_PROBLEMS, BEARER, problem } from '../schemas/common-schemas.js'
import { IdParamsSchema, RangeHeadersSchema } from '../schemas/request-schemas.js'

const tags = ['playback']
const binary = z.string().openapi({ type: 'string', format: 'binary' })
const media = { 'application/octet-stream': { schema: binary } }
const str = { type: 'string' as const }

export const PlaybackUrlSchema = z
  .object({
    url: z.url().openapi({
      example:
        'https://rec.example.com/playback/0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11?expires=1767229200&signature=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSEhIQ',
    }),
    expiresAt: z.iso.datetime().openapi({ example: '2026-01-01T01:00:00.000Z' }),
  })
  .openapi('PlaybackUrl')

export const PlaybackQuerySchema = z.object({
  expires: z
    .string()
    .optional()
    .openapi({ description: 'Unix seconds; part of the signed URL', example: '1767229200' }),
  signature: z.string().optional().openapi({
    description: 'HMAC of the recording id and `expires`; never logged',
    example: 'dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSEhIQ',
  }),
  download: z
    .enum(['0', '1'])
    .optional()
    .openapi({ description: '`1`: `Content-Disposition: attachment` (a download link) instead of `inline`' }),
})

export const playbackUrlRoute = createRoute({
  method: 'post',
  path: '/{id}/playback-url',
  operationId: 'createPlaybackUrl',
  tags,
  security: BEARER,
  summary: 'A signed, expiring URL to play or download a completed recording without a token',
  description:
    'For `<video src>`, media players and download links, which cannot send `Authorization`. The URL reads this one recording (GET/HEAD with `Range`) until `expiresAt` (PLAYBACK_URL_TTL_S), carries no JWT, and stops working when the recording is deleted. Treat it as a secret: anyone holding it can read the media until it expires.',
  request: { params: IdParamsSchema },
  responses: {
    201: {
      description: 'The URL (`Cache-Control: no-store`)',
      headers: { 'Cache-Control': { schema: { ...str, example: 'no-store' } } },
      content: { 'application/json': { schema: PlaybackUrlSchema } },
    },
    ...AUTHED_PROBLEMS,
    409: problem('Not completed (RECORDING_NOT_COMPLETED)'),
  },
})

const mediaHeaders = {
  'Content-Type': { schema: str, description: 'Fixed by config.format' },
  'Content-Length': { schema: { type: 'integer' as const } },
  ETag: { schema: str, description: 'The SHA-256 hex of the bytes, quoted' },
  'Accept-Ranges': { schema: { ...str, example: 'bytes' } },
  'Content-Disposition': {
    schema: { ...str, example: 'inline; filename="interview.webm"' },
    description:
      '`inline` (`attachment` with `?download=1`); the recording name or id plus the extension, RFC 6266 with `filename*` (RFC 5987) when not ASCII',
  },
  'Cache-Control': {
    schema: { ...str, example: 'private, no-cache' },
    description: 'Revalidated on every use (ETag → 304), so a deleted recording stops playing from cache too',
  },
  'Access-Control-Allow-Origin': {
    schema: { ...str, example: '*' },
    description: 'Any origin: the URL is the credential',
  },
  'Cross-Origin-Resource-Policy': { schema: { ...str, example: 'cross-origin' } },
  'X-Content-Type-Options': { schema: { ...str, example: 'nosniff' } },
}
const rangeHeaders = {
  ...mediaHeaders,
  'Content-Range': { schema: { ...str, example: 'bytes 0-1023/4096' } },
}

const PUBLIC_PROBLEMS = {
  400: problem('The id is not a UUID (VALIDATION_FAILED)'),
  403: problem(
    'Signature missing, malformed or not for this recording (PLAYBACK_URL_INVALID), or expired (PLAYBACK_URL_EXPIRED)',
  ),
  404: problem('The recording was deleted (RECORDING_NOT_FOUND)'),
  503: problem('A backend is unavailable (DEPENDENCY_UNAVAILABLE)'),
}

const request = { params: IdParamsSchema, query: PlaybackQuerySchema, headers: RangeHeadersSchema }

export const getPlaybackRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getPlayback',
  tags,
  security: [],
  summary: 'Play or download a recording through a signed URL (no Authorization)',
  description:
    'The URL that `createPlaybackUrl` returned. One `Range` → 206, unsatisfiable → 416, several ranges → 200 whole; If-None-Match → 304. Not rate limited: a player issues many range requests, and a forged URL is refused before any database read.',
  request,
  responses: {
    200: { description: 'The whole media', headers: mediaHeaders, content: media },
    206: { description: 'One range of it', headers: rangeHeaders, content: media },
    304: { description: 'Not modified (If-None-Match)' },
    ...PUBLIC_PROBLEMS,
    416: problem('Range outside the content (RANGE_NOT_SATISFIABLE), with Content-Range: bytes */size'),
  },
})

/** Documented only: hono answers HEAD with the GET handler, which branches on the method. */
export const headPlaybackRoute = createRoute({
  method: 'head',
  path: '/{id}',
  operationId: 'headPlayback',
  tags,
  security: [],
  summary: 'The headers of `getPlayback`, without the body',
  request,
  responses: {
    200: { description: 'Whole-media headers', headers: mediaHeaders },
    206: { description: 'Range headers', headers: rangeHeaders },
    304: { description: 'Not modified (If-None-Match)' },
    ...PUBLIC_PROBLEMS,
    416: problem('Range outside the content (RANGE_NOT_SATISFIABLE)'),
  },
})
