import { createRoute, z } from '@hono/zod-openapi'
import { AUTHED_PROBLEMS, BEARER, problem } from '../schemas/common-schemas.js'
import { IdParamsSchema } from '../schemas/request-schemas.js'
import { CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_VERSION } from './tus-protocol.js'

// Documented only: the handlers read these headers themselves (tus-content.ts, upload-creation.ts).
const tags = ['uploads']
const int = { type: 'integer' as const }
const str = { type: 'string' as const }
const binary = z.string().openapi({ type: 'string', format: 'binary' })
const tusBody = { 'application/offset+octet-stream': { schema: binary } }
const resumable = z
  .literal(TUS_VERSION)
  .openapi({ description: 'tus version; another → 412 with Tus-Version' })

const uploadHeaders = {
  'Tus-Resumable': { schema: str, description: TUS_VERSION },
  'Upload-Offset': { schema: int, description: 'Bytes stored' },
  'Upload-Length': { schema: int, description: 'Announced length (completed: the size)' },
  'Upload-Defer-Length': { schema: int, description: '1 while the length is not known yet' },
  'Upload-Expires': { schema: str, description: 'HTTP-date: last activity + IDLE_TIMEOUT_S' },
}
const optionsHeaders = {
  'Tus-Resumable': { schema: str },
  'Tus-Version': { schema: str, example: TUS_VERSION },
  'Tus-Extension': { schema: str, example: TUS_EXTENSIONS },
  'Tus-Max-Size': { schema: int, description: 'MAX_RECORDING_BYTES' },
  'Tus-Checksum-Algorithm': { schema: str, example: CHECKSUM_ALGORITHMS.join(',') },
}
const tusProblems = {
  ...AUTHED_PROBLEMS,
  412: problem('Tus-Resumable names another version (TUS_VERSION_UNSUPPORTED), with Tus-Version'),
}

export const createUploadRoute = createRoute({
  method: 'post',
  path: '/uploads',
  operationId: 'createUpload',
  tags,
  security: BEARER,
  summary: 'Create a resumable upload (tus creation, creation-with-upload, creation-defer-length)',
  description:
    'Upload-Metadata: `sessionId` (required, UUID), `format` or `filetype` (MIME) → config.format, `quality`, `filename` → name; other keys are ignored. A body (application/offset+octet-stream) is stored at once. Idempotency-Key as for start.',
  request: {
    headers: z.object({
      'tus-resumable': resumable,
      'upload-length': z.string().optional().openapi(int),
      'upload-defer-length': z.literal('1').optional(),
      'upload-metadata': z
        .string()
        .openapi({ example: 'sessionId NmEzYzlhNGUtNmE1MS00ZDFkLThmM2EtMmI3ZjNkMGM5ZTEx' }),
      'upload-checksum': z
        .string()
        .optional()
        .openapi({ example: 'sha256 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }),
      'idempotency-key': z.string().optional(),
    }),
    body: { required: false, content: tusBody },
  },
  responses: {
    201: {
      description: 'Created; Location is the upload URL (the recording content URL)',
      headers: { Location: { schema: str }, 'Idempotent-Replayed': { schema: str }, ...uploadHeaders },
    },
    ...tusProblems,
    409: problem('RECORDING_ALREADY_ACTIVE or IDEMPOTENCY_KEY_REUSED'),
    413: problem('Upload-Length over MAX_RECORDING_BYTES (UPLOAD_TOO_LARGE)'),
    415: problem('A body that is not application/offset+octet-stream'),
    460: problem('The body does not match Upload-Checksum (CHECKSUM_MISMATCH); nothing stored'),
  },
})

const optionsRoute = (path: string, operationId: string, withId: boolean) =>
  createRoute({
    method: 'options',
    path,
    operationId,
    tags,
    security: [],
    ...(withId ? { request: { params: IdParamsSchema } } : {}),
    summary: 'tus capabilities (a CORS preflight is answered by CORS instead)',
    responses: { 204: { description: 'What this server supports', headers: optionsHeaders } },
  })

const contentPath = '/recordings/{id}/content'
const tusHeaders = z.object({ 'tus-resumable': resumable })

export const tusContentRoutes = [
  optionsRoute('/uploads', 'discoverUploads', false),
  optionsRoute(contentPath, 'discoverUpload', true),
  createRoute({
    method: 'delete',
    path: contentPath,
    operationId: 'terminateUpload',
    tags,
    security: BEARER,
    summary: 'Terminate an upload (tus termination): deletes the recording',
    request: { params: IdParamsSchema, headers: tusHeaders },
    responses: {
      204: { description: 'Deleted', headers: { 'Tus-Resumable': { schema: str } } },
      ...tusProblems,
    },
  }),
  createRoute({
    method: 'post',
    path: contentPath,
    operationId: 'overrideUploadMethod',
    tags,
    security: BEARER,
    summary: 'PATCH, DELETE or HEAD for clients that can only POST (X-HTTP-Method-Override)',
    description:
      'With Tus-Resumable, HEAD answers Upload-Offset, Upload-Length or Upload-Defer-Length: 1, Upload-Expires and Cache-Control: no-store (410 UPLOAD_GONE once failed or expired); PATCH takes Upload-Checksum (sha1, sha256, md5: a mismatch is 460 and keeps none of the bytes) and, once, Upload-Length for a deferred length; reaching the length completes the recording.',
    request: {
      params: IdParamsSchema,
      headers: tusHeaders.extend({ 'x-http-method-override': z.enum(['PATCH', 'DELETE', 'HEAD']) }),
      body: { required: false, content: tusBody },
    },
    responses: {
      200: { description: 'As HEAD', headers: uploadHeaders },
      204: { description: 'As PATCH or DELETE', headers: uploadHeaders },
      ...tusProblems,
      409: problem('OFFSET_MISMATCH, RECORDING_NOT_RECORDING or UPLOAD_LENGTH_CONFLICT'),
      410: problem('The upload failed or expired (UPLOAD_GONE)'),
      413: problem('The body is longer than the upload may still take (UPLOAD_LENGTH_EXCEEDED)'),
      460: problem('The body does not match Upload-Checksum (CHECKSUM_MISMATCH); nothing stored'),
    },
  }),
]
