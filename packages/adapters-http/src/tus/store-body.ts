import type { AppendResult, RecordingService } from '@rec/domain'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import { requestBody } from '../routes/request-body.js'
import { stageVerified } from './staged-body.js'
import { decimalHeader } from './tus-protocol.js'
import { parseUploadChecksum } from './upload-checksum.js'

export interface StoreBodyDeps {
  readonly service: RecordingService
  /** Told how many bytes each request stored (metrics). */
  readonly onStored?: ((bytes: number) => void) | undefined
  /** Where bodies with an Upload-Checksum wait for their digest; default the OS temporary directory. */
  readonly stagingDir?: string | undefined
}

export interface StoreBodyTarget {
  readonly id: string
  readonly offset: number
  /** Bytes the upload may still take: its length, or the size limit, minus the offset. */
  readonly remaining: number
}

/** The Upload-Checksum of the request, checked before a byte of the body is read. */
export const checksumOf = (c: Context<AppEnv>) => parseUploadChecksum(c.req.header('Upload-Checksum'))

/**
 * Stores a tus body at `offset`, streamed. A body declared longer than the upload may take is
 * refused (413) before it is read. With Upload-Checksum the body is staged on disk while hashed and
 * appended only when the digest matches; on a mismatch (460) nothing is stored.
 */
export async function storeBody(
  c: Context<AppEnv>,
  deps: StoreBodyDeps,
  target: StoreBodyTarget,
): Promise<AppendResult> {
  const checksum = checksumOf(c)
  const declared = decimalHeader(c.req.header('Content-Length'), 'Content-Length')
  if (declared !== null && declared > target.remaining) {
    throw new HttpProblem('UPLOAD_LENGTH_EXCEEDED', {
      detail: `the body of ${declared} bytes is over the ${target.remaining} bytes this upload may still take`,
    })
  }
  // The size is saved behind the append, at most once a progress interval, as for §5 PATCHes and
  // streams: a save per PATCH (an UPDATE, a cache delete and an event) was most of a small tus
  // PATCH's cost (bench/NOTES.md). Upload-Expires then comes from the saved activity, a little early.
  const command = {
    userId: c.get('userId'),
    id: target.id,
    offset: target.offset,
    progress: 'upload',
  } as const
  const raw = requestBody(c)
  let result: AppendResult
  if (checksum === null) {
    result = await deps.service.append({ ...command, body: raw })
  } else {
    const staged = await stageVerified(raw, { checksum, maxBytes: target.remaining, dir: deps.stagingDir })
    try {
      result = await deps.service.append({ ...command, body: staged.body() })
    } finally {
      await staged[Symbol.asyncDispose]()
    }
  }
  deps.onStored?.(result.offset - target.offset)
  return result
}
