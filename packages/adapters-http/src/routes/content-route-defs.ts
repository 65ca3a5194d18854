import { createRoute, z } from '@hono/zod-openapi'
import { AUTHED_PROBLEMS, BEARER, problem } from '../schemas/common-schemas.js'
import {
  ContentQuerySchema,
  IdParamsSchema,
  RangeHeadersSchema,
  UploadHeadersSchema,
} from '../schemas/request-schemas.js'

const tags = ['content']
const binary = z.string().openapi({ type: 'string', format: 'binary' })
const media = { 'application/octet-stream': { schema: binary } }

const contentHeaders = {
  'Content-Type': { schema: { type: 'string' as const }, description: 'Fixed by config.format' },
  'Content-Length': { schema: { type: 'integer' as const } },
  ETag: { schema: { type: 'string' as const }, description: 'The SHA-256 hex of the bytes, quoted' },
  'Accept-Ranges': { schema: { type: 'string' as const, example: 'bytes' } },
  'Content-Disposition': {
    schema: { type: 'string' as const, example: 'attachment; filename="interview.webm"' },
    description:
      'Always `attachment`: the recording name or id plus the extension, with `filename*` (RFC 5987) when not ASCII',
  },
  'Cache-Control': { schema: { type: 'string' as const, example: 'private, no-cache' } },
}
const contentRangeHeader = {
  'Content-Range': { schema: { type: 'string' as const, example: 'bytes 0-1023/4096' } },
}

export const getContentRoute = createRoute({
  method: 'get',
  path: '/{id}/content',
  operationId: 'getContent',
  tags,
  security: BEARER,
  summary: 'Download the media of a completed recording',
  description:
    'One `Range: bytes=a-b | a- | -n` → 206; several ranges are ignored (200 whole). If-None-Match → 304. ' +
    '`variant=seekable`: the seekable rendition (duration and cues) of a WebM that had neither, once made (SPEC §13).',
  request: { params: IdParamsSchema, headers: RangeHeadersSchema, query: ContentQuerySchema },
  responses: {
    200: { description: 'The whole media', headers: contentHeaders, content: media },
    206: {
      description: 'One range of it',
      headers: { ...contentHeaders, ...contentRangeHeader },
      content: media,
    },
    304: { description: 'Not modified (If-None-Match)' },
    ...AUTHED_PROBLEMS,
    404: problem('No such recording (RECORDING_NOT_FOUND), or no such rendition yet (RENDITION_NOT_FOUND)'),
    409: problem('Not completed yet (RECORDING_NOT_COMPLETED)'),
    416: {
      ...problem('Range outside the content (RANGE_NOT_SATISFIABLE)'),
      headers: { 'Content-Range': { schema: { type: 'string' as const, example: 'bytes */4096' } } },
    },
  },
})

/** Documented only: hono answers HEAD with the GET handler, which branches on the method. */
export const headContentRoute = createRoute({
  method: 'head',
  path: '/{id}/content',
  operationId: 'headContent',
  tags,
  security: BEARER,
  summary: 'Upload offset while recording; download headers once completed',
  request: { params: IdParamsSchema },
  responses: {
    200: {
      description: 'While recording: Upload-Offset (bytes stored). Completed: the headers of GET.',
      headers: {
        'Upload-Offset': { schema: { type: 'integer' as const }, description: 'While recording' },
        ...contentHeaders,
      },
    },
    ...AUTHED_PROBLEMS,
    409: problem('Stopping or failed (RECORDING_NOT_COMPLETED)'),
  },
})

export const patchContentRoute = createRoute({
  method: 'patch',
  path: '/{id}/content',
  operationId: 'patchContent',
  tags,
  security: BEARER,
  summary: 'Append media at Upload-Offset (tus core)',
  description:
    'The body is streamed into storage. When a size or duration limit completes the recording during the request, the answer is still 204 with the final Upload-Offset; bytes past the limit are dropped and a following PATCH gets 409 RECORDING_NOT_RECORDING.',
  request: {
    params: IdParamsSchema,
    headers: UploadHeadersSchema,
    body: { required: true, content: { 'application/offset+octet-stream': { schema: binary } } },
  },
  responses: {
    204: {
      description: 'Stored',
      headers: { 'Upload-Offset': { schema: { type: 'integer' as const }, description: 'Bytes stored now' } },
    },
    ...AUTHED_PROBLEMS,
    409: {
      ...problem(
        'OFFSET_MISMATCH (with the current Upload-Offset), RECORDING_NOT_RECORDING, or WRITER_FENCED (a newer upload or stream took over)',
      ),
      headers: {
        'Upload-Offset': {
          schema: { type: 'integer' as const },
          description: 'With OFFSET_MISMATCH: bytes stored',
        },
      },
    },
    415: problem('Content-Type is not application/offset+octet-stream'),
    507: problem('Storage refused the write (STORAGE_WRITE_FAILED)'),
  },
})
