import type { Stats } from 'node:fs'
import { stat, unlink } from 'node:fs/promises'
import { asStorageError, isSystemError } from './errors.js'

/** The file's stats, or null when it (or a directory on its path) is not there. */
export async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path)
  } catch (error) {
    if (isSystemError(error, 'ENOENT', 'ENOTDIR')) return null
    throw error
  }
}

/** Removes the file; one that is already gone is what the caller wanted anyway. */
export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if (!isSystemError(error, 'ENOENT', 'ENOTDIR')) throw asStorageError(error)
  }
}
