import { createRoute } from '@hono/zod-openapi'
import { AUTHED_PROBLEMS, BEARER, problem } from '../schemas/common-schemas.js'
import { RecordingPageSchema, RecordingSchema, RecordingStatusSchema } from '../schemas/recording-schema.js'
import {
  IdempotencyHeadersSchema,
  IdParamsSchema,
  ListQuerySchema,
  StartBodySchema,
} from '../schemas/request-schemas.js'

const json = <T>(schema: T) => ({ 'application/json': { schema } })
const tags = ['recordings']

export const startRoute = createRoute({
  method: 'post',
  path: '/start',
  operationId: 'startRecording',
  tags,
  security: BEARER,
  summary: 'Start a recording for a session',
  description:
    'With an Idempotency-Key, the same key from the same user within 24 h returns the first recording (201 again, `Idempotent-Replayed: true`).',
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: json(StartBodySchema) },
  },
  responses: {
    201: {
      description: 'Started (or replayed)',
      headers: {
        Location: { schema: { type: 'string' }, description: 'The recording: `/api/v1/recordings/{id}`' },
        'Idempotent-Replayed': {
          schema: { type: 'string', enum: ['true'] },
          description: 'Present when an Idempotency-Key replayed the first response',
        },
      },
      content: json(RecordingSchema),
    },
    ...AUTHED_PROBLEMS,
    409: problem('RECORDING_ALREADY_ACTIVE or IDEMPOTENCY_KEY_REUSED'),
    413: problem('Body over 64 KiB (PAYLOAD_TOO_LARGE)'),
    415: problem('Body is not JSON (UNSUPPORTED_MEDIA_TYPE)'),
  },
})

export const stopRoute = createRoute({
  method: 'post',
  path: '/{id}/stop',
  operationId: 'stopRecording',
  tags,
  security: BEARER,
  summary: 'Stop a recording once every accepted byte is stored',
  description: 'On a completed recording: 200 unchanged. On a failed one: 409 INVALID_TRANSITION.',
  request: { params: IdParamsSchema },
  responses: {
    200: { description: 'Completed', content: json(RecordingSchema) },
    ...AUTHED_PROBLEMS,
    409: problem('INVALID_TRANSITION (failed recording)'),
  },
})

export const statusRoute = createRoute({
  method: 'get',
  path: '/{id}/status',
  operationId: 'getRecordingStatus',
  tags,
  security: BEARER,
  summary: 'Status of a recording (cached)',
  request: { params: IdParamsSchema },
  responses: { 200: { description: 'Status', content: json(RecordingStatusSchema) }, ...AUTHED_PROBLEMS },
})

export const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getRecording',
  tags,
  security: BEARER,
  summary: 'A recording',
  request: { params: IdParamsSchema },
  responses: { 200: { description: 'The recording', content: json(RecordingSchema) }, ...AUTHED_PROBLEMS },
})

export const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listRecordings',
  tags,
  security: BEARER,
  summary: "The caller's recordings, newest first",
  request: { query: ListQuerySchema },
  responses: { 200: { description: 'A page', content: json(RecordingPageSchema) }, ...AUTHED_PROBLEMS },
})

export const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteRecording',
  tags,
  security: BEARER,
  summary: 'Delete a recording and its media',
  request: { params: IdParamsSchema },
  responses: { 204: { description: 'Deleted' }, ...AUTHED_PROBLEMS },
})
