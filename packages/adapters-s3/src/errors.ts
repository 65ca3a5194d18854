import { DomainError, StorageWriteError } from '@rec/domain'

/** `read` found no finished blob under the key: the domain's own error, as every BlobStore throws it. */
export { BlobNotFoundError } from '@rec/domain'

/** The bucket refused or did not answer a write: a StorageWriteError, unless it is already a domain error. */
export function asStorageError(error: unknown): unknown {
  return error instanceof DomainError ? error : new StorageWriteError({ cause: error })
}

/** True when the server said it has no such operation (s3rver: AbortMultipartUpload, ListMultipartUploads). */
export function isNotImplemented(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  return error.name === 'NotImplemented' || status === 501 || status === 405
}

/** True for "this object or upload is not there". */
export function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  return (
    error.name === 'NoSuchKey' || error.name === 'NoSuchUpload' || error.name === 'NotFound' || status === 404
  )
}
