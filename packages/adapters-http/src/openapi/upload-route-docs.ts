import { createRoute, z } from '@hono/zod-openapi'
import { AUTHED_PROBLEMS, BEARER, problem } from '../schemas/common-schemas.js'
import { IdParamsSchema } from '../schemas/request-schemas.js'
import type { OpenApiDocument, Parameter, SchemaEntry } from './document-types.js'

// tus 1.0.0 resumable uploads (SPEC §9), documented from the contract. The routes themselves come
// with the tus work; this file is the documentation only, kept apart so it can be swapped for that
// work's own. The upload URL is the content URL: its HEAD and PATCH gain the tus headers below.

const tags = ['uploads']
const str = { type: 'string' as const }
const int = { type: 'integer' as const }
const binary = z.string().openapi({ type: 'string', format: 'binary' })

const tusResumable = {
  'Tus-Resumable': { schema: { ...str, example: '1.0.0' }, description: 'Always 1.0.0' },
}
const discovery = {
  ...tusResumable,
  'Tus-Version': { schema: { ...str, example: '1.0.0' } },
  'Tus-Extension': {
    schema: {
      ...str,
      example: 'creation,creation-with-upload,creation-defer-length,termination,checksum,expiration',
    },
  },
  'Tus-Max-Size': { schema: int, description: '= MAX_RECORDING_BYTES' },
  'Tus-Checksum-Algorithm': { schema: { ...str, example: 'sha1,sha256,md5' } },
}
const TUS_PROBLEMS = {
  412: {
    ...problem('Another Tus-Resumable version; Tus-Version lists the supported ones'),
    headers: { 'Tus-Version': { schema: { ...str, example: '1.0.0' } } },
  },
}

const CreationHeadersSchema = z.object({
  'tus-resumable': z.literal('1.0.0'),
  'upload-length': z
    .string()
    .regex(/^\d+$/)
    .optional()
    .openapi({ type: 'integer', description: 'Total bytes; or Upload-Defer-Length' }),
  'upload-defer-length': z.literal('1').optional(),
  'upload-metadata': z.string().optional().openapi({
    description:
      'Comma-separated `key base64(value)`: `sessionId` (required), `format` or `filetype` (a MIME type) → config.format, `quality`, `filename` (kept as the recording name). Other keys are ignored.',
    example: 'sessionId NmEzYzlhNGUtNmE1MS00ZDFkLThmM2EtMmI3ZjNkMGM5ZTEx,filename aW50ZXJ2aWV3LndlYm0=',
  }),
  'upload-checksum': z
    .string()
    .optional()
    .openapi({ description: 'With a body: `<sha1|sha256|md5> <base64>`' }),
  'idempotency-key': z.string().optional(),
  'x-http-method-override': z.string().optional().openapi({ description: 'For clients that can only POST' }),
})

export const optionsUploadsDoc = createRoute({
  method: 'options',
  path: '/api/v1/uploads',
  operationId: 'discoverUploads',
  tags,
  security: [],
  summary: 'tus discovery: versions, extensions, maximum size',
  responses: { 204: { description: 'What this tus server supports', headers: discovery } },
})

export const createUploadDoc = createRoute({
  method: 'post',
  path: '/api/v1/uploads',
  operationId: 'createUpload',
  tags,
  security: BEARER,
  summary: 'Create a resumable upload (a recording) with tus creation',
  description:
    'With a body (`application/offset+octet-stream`, creation-with-upload) the bytes are stored at once and the 201 carries Upload-Offset. A recording whose offset reaches Upload-Length completes by itself.',
  request: {
    headers: CreationHeadersSchema,
    body: { required: false, content: { 'application/offset+octet-stream': { schema: binary } } },
  },
  responses: {
    201: {
      description: 'Created',
      headers: {
        ...tusResumable,
        Location: { schema: str, description: 'The upload URL: `/api/v1/recordings/{id}/content`' },
        'Upload-Expires': { schema: str, description: 'RFC 9110 date: last activity + IDLE_TIMEOUT_S' },
        'Upload-Offset': { schema: int, description: 'With creation-with-upload: bytes stored' },
        'Idempotent-Replayed': { schema: { ...str, enum: ['true'] } },
      },
    },
    ...AUTHED_PROBLEMS,
    409: problem('RECORDING_ALREADY_ACTIVE or IDEMPOTENCY_KEY_REUSED'),
    ...TUS_PROBLEMS,
    413: problem('Upload-Length over Tus-Max-Size (MAX_RECORDING_BYTES)'),
    415: problem('A body that is not application/offset+octet-stream'),
    460: problem('Upload-Checksum mismatch: none of the bytes were kept'),
  },
})

export const optionsUploadDoc = createRoute({
  method: 'options',
  path: '/api/v1/recordings/{id}/content',
  operationId: 'discoverUpload',
  tags,
  security: [],
  summary: 'tus discovery on an upload URL',
  request: { params: IdParamsSchema },
  responses: { 204: { description: 'What this tus server supports', headers: discovery } },
})

export const terminateUploadDoc = createRoute({
  method: 'delete',
  path: '/api/v1/recordings/{id}/content',
  operationId: 'terminateUpload',
  tags,
  security: BEARER,
  summary: 'tus termination: deletes the recording',
  request: { params: IdParamsSchema, headers: z.object({ 'tus-resumable': z.literal('1.0.0') }) },
  responses: { 204: { description: 'Deleted', headers: tusResumable }, ...AUTHED_PROBLEMS, ...TUS_PROBLEMS },
})

const header = (name: string, description: string, schema: SchemaEntry = str): Parameter => ({
  name,
  in: 'header',
  required: false,
  description,
  schema,
})

/** What tus adds to the content URL's HEAD and PATCH (`headContent`, `patchContent`). */
export function addTusToContent(document: OpenApiDocument): void {
  const item = document.paths?.['/api/v1/recordings/{id}/content']
  const resumable = header('Tus-Resumable', 'tus requests send 1.0.0; without it, §5 semantics apply', {
    ...str,
    enum: ['1.0.0'],
  })
  const patchOnly = [
    header('Upload-Length', 'Once, for an upload created with Upload-Defer-Length: 1', int),
    header('Upload-Checksum', '`<sha1|sha256|md5> <base64>` of this request body; mismatch → 460'),
    header('X-HTTP-Method-Override', 'PATCH, for clients that can only POST'),
  ]
  for (const [operation, extra] of [
    [item?.head, []],
    [item?.patch, patchOnly],
  ] as const) {
    if (!operation) continue
    operation.parameters = [...(operation.parameters ?? []), resumable, ...extra]
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if ('$ref' in response || !status.startsWith('2')) continue
      response.headers = { ...response.headers, ...TUS_RESPONSE_HEADERS }
    }
    operation.responses = { ...operation.responses, ...TUS_RESPONSES }
  }
}

const TUS_RESPONSE_HEADERS = {
  ...tusResumable,
  'Upload-Length': {
    schema: int,
    description: 'HEAD: the declared length (absent with Upload-Defer-Length)',
  },
  'Upload-Defer-Length': { schema: { ...str, enum: ['1'] } },
  'Upload-Expires': { schema: str, description: 'RFC 9110 date: last activity + IDLE_TIMEOUT_S' },
}

/** A problem response added after generation: it refers to the generated `Problem` schema. */
const problemRef = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

const TUS_RESPONSES = {
  410: problemRef('The upload expired or failed'),
  412: {
    ...problemRef('Another Tus-Resumable version; Tus-Version lists the supported ones'),
    headers: { 'Tus-Version': { schema: { ...str, example: '1.0.0' } } },
  },
  460: problemRef('PATCH: Upload-Checksum mismatch; the offset did not move'),
}
