import { HttpProblem } from '../problems/http-problem.js'
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from './tus-protocol.js'

export interface UploadChecksum {
  readonly algorithm: ChecksumAlgorithm
  /** The digest the client computed over this request's body. */
  readonly digest: Buffer
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = { sha1: 20, sha256: 32, md5: 16 }

/**
 * `Upload-Checksum: <algorithm> <base64 digest>` (tus checksum extension). Absent → null; an
 * algorithm not offered → 400 CHECKSUM_ALGORITHM_UNSUPPORTED; anything malformed → 400.
 */
export function parseUploadChecksum(header: string | undefined): UploadChecksum | null {
  if (header === undefined) return null
  const [algorithm = '', encoded = '', ...rest] = header.trim().split(/\s+/)
  if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm.toLowerCase())) {
    throw new HttpProblem('CHECKSUM_ALGORITHM_UNSUPPORTED', {
      detail: `Upload-Checksum algorithm must be one of ${CHECKSUM_ALGORITHMS.join(', ')}`,
      headers: { 'Tus-Checksum-Algorithm': CHECKSUM_ALGORITHMS.join(',') },
    })
  }
  const chosen = algorithm.toLowerCase() as ChecksumAlgorithm
  const digest = Buffer.from(encoded, 'base64')
  if (rest.length > 0 || !BASE64.test(encoded) || digest.byteLength !== DIGEST_BYTES[chosen]) {
    throw new HttpProblem('VALIDATION_FAILED', {
      detail: `Upload-Checksum must be "${chosen} <base64 of ${DIGEST_BYTES[chosen]} bytes>"`,
      errors: [{ path: 'headers.upload-checksum', message: 'malformed' }],
    })
  }
  return { algorithm: chosen, digest }
}
