import { StorageWriteError } from '@rec/domain'

/** `read` found no finished blob under the key: the domain's error, the same from every BlobStore. */
export { BlobNotFoundError } from '@rec/domain'

/** True for an error raised by the operating system (it carries an errno), with one of `codes` if given. */
export function isSystemError(error: unknown, ...codes: string[]): error is NodeJS.ErrnoException {
  if (!(error instanceof Error) || !('errno' in error) || typeof error.errno !== 'number') return false
  return (
    codes.length === 0 || ('code' in error && typeof error.code === 'string' && codes.includes(error.code))
  )
}

/**
 * The medium refused (EACCES, EROFS, ENOSPC, EIO, ENOTDIR…): a domain StorageWriteError with the
 * system error as its cause. Anything else is not ours to reinterpret and goes through unchanged.
 */
export function asStorageError(error: unknown): unknown {
  return isSystemError(error) ? new StorageWriteError({ cause: error }) : error
}

/** Runs a file-system step of a write, turning a refusal of the medium into StorageWriteError. */
export async function storageStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw asStorageError(error)
  }
}
