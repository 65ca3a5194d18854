import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { HttpProblem } from '../problems/http-problem.js'
import type { UploadChecksum } from './upload-checksum.js'

export interface StageOptions {
  readonly checksum: UploadChecksum
  /** Most bytes this request may carry; more → 413 before they reach storage. */
  readonly maxBytes: number
  /** Where staged bodies are written; default the OS temporary directory. */
  readonly dir?: string
}

/** A request body held on local disk until its checksum is known to match. */
export interface StagedBody extends AsyncDisposable {
  /** The verified bytes, streamed back from disk. */
  readonly body: () => AsyncIterable<Uint8Array>
  readonly size: number
}

/**
 * Streams `body` to a temporary file while hashing it, and resolves only when the digest equals the
 * client's: on a mismatch the file is removed and 460 CHECKSUM_MISMATCH is thrown, so none of the
 * request's bytes ever reach the blob store (SPEC §9). Memory stays bounded by the stream buffers,
 * whatever the body's size.
 */
export async function stageVerified(
  body: AsyncIterable<Uint8Array>,
  options: StageOptions,
): Promise<StagedBody> {
  const path = join(options.dir ?? tmpdir(), `rec-tus-${randomUUID()}.part`)
  const hash = createHash(options.checksum.algorithm)
  let size = 0
  const maxBytes = options.maxBytes
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      size += chunk.byteLength
      if (size > maxBytes) {
        throw new HttpProblem('UPLOAD_LENGTH_EXCEEDED', {
          detail: `the body is over the ${maxBytes} bytes left`,
        })
      }
      hash.update(chunk)
      yield chunk
    }
  }
  const remove = () => rm(path, { force: true })
  try {
    await pipeline(Readable.from(hashed()), createWriteStream(path, { flags: 'wx' }))
    const digest = hash.digest()
    const expected = options.checksum.digest
    if (digest.byteLength !== expected.byteLength || !timingSafeEqual(digest, expected)) {
      throw new HttpProblem('CHECKSUM_MISMATCH', {
        detail: `the ${options.checksum.algorithm} of the body does not match Upload-Checksum; nothing was stored`,
      })
    }
  } catch (error) {
    await remove()
    throw error
  }
  return {
    size,
    body: () => createReadStream(path),
    [Symbol.asyncDispose]: remove,
  }
}
