import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import { IdempotencyHeadersSchema } from '../schemas/request-schemas.js'
import { checksumOf, type StoreBodyDeps, storeBody } from './store-body.js'
import { decimalHeader, requireUploadType } from './tus-protocol.js'
import { setUploadHeaders } from './upload-headers.js'
import { parseUploadMetadata, toUploadRequest } from './upload-metadata.js'

export interface UploadCreationDeps extends StoreBodyDeps {
  /** Prefix of the upload URLs handed out in Location (`/api/v1`). */
  readonly apiPrefix: string
}

/** Upload-Length: N, or Upload-Defer-Length: 1; exactly one of them. */
function announcedLength(c: Context<AppEnv>): number | null {
  const length = decimalHeader(c.req.header('Upload-Length'), 'Upload-Length')
  const defer = c.req.header('Upload-Defer-Length')
  if (defer !== undefined && defer !== '1') {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: 'Upload-Defer-Length must be 1',
      errors: [{ path: 'headers.upload-defer-length', message: 'must be 1' }],
    })
  }
  if ((length === null) === (defer === undefined)) {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: 'send either Upload-Length or Upload-Defer-Length: 1',
      errors: [
        { path: 'headers.upload-length', message: 'exactly one of Upload-Length, Upload-Defer-Length' },
      ],
    })
  }
  return length
}

function idempotencyKey(c: Context<AppEnv>): string | undefined {
  const parsed = IdempotencyHeadersSchema.safeParse({ 'idempotency-key': c.req.header('Idempotency-Key') })
  if (!parsed.success) {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
      errors: [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' }],
    })
  }
  return parsed.data['idempotency-key']
}

const hasBody = (c: Context<AppEnv>): boolean =>
  c.req.header('Transfer-Encoding') !== undefined || Number(c.req.header('Content-Length') ?? 0) > 0

/**
 * `POST /uploads` (tus creation, creation-with-upload, creation-defer-length): a recording from
 * Upload-Metadata, 201 with its upload URL in Location. A body is stored at once (Upload-Offset
 * tells how much). An Idempotency-Key replay answers with the first recording and stores nothing.
 */
export async function createUpload(c: Context<AppEnv>, deps: UploadCreationDeps): Promise<Response> {
  const uploadLength = announcedLength(c)
  const request = toUploadRequest(parseUploadMetadata(c.req.header('Upload-Metadata')))
  const key = idempotencyKey(c)
  const withBody = hasBody(c)
  if (withBody) {
    requireUploadType(c.req.header('Content-Type'))
    checksumOf(c)
  }
  const userId = c.get('userId')
  const { recording, replayed } = await deps.service.start({
    userId,
    sessionId: request.sessionId,
    config: request.config,
    name: request.name,
    uploadLength,
    idempotencyKey: key,
  })
  let state = await deps.service.uploadState(userId, recording.id)
  if (withBody && !replayed && state.kind === 'uploading') {
    const end = uploadLength ?? deps.service.limits.maxBytes
    const result = await storeBody(c, deps, { id: recording.id, offset: 0, remaining: end })
    state = result.completed
      ? { kind: 'completed', recording: result.completed }
      : (result.upload ?? (await deps.service.uploadState(userId, recording.id)))
  }
  if (replayed) c.header('Idempotent-Replayed', 'true')
  c.header('Location', `${deps.apiPrefix}/recordings/${recording.id}/content`)
  setUploadHeaders(c, state)
  return c.body(null, 201)
}
