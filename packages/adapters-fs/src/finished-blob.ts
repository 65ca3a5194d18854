import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, open, readFile } from 'node:fs/promises'
import type { StoredBlob } from '@rec/domain'
import { isSystemError } from './errors.js'

const CHECKSUM = /^sha256:[0-9a-f]{64}$/

/** Writes the figures of a blob about to be published, durably, so a later finalize can reuse them. */
export async function writeSidecar(path: string, stored: StoredBlob): Promise<void> {
  const handle = await open(path, 'w', 0o600)
  try {
    await handle.writeFile(`${JSON.stringify(stored)}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * The figures recorded beside a finished blob of `sizeBytes` bytes, or null when the sidecar is
 * missing, unreadable or describes another size (then the caller re-hashes the blob itself).
 */
export async function readSidecar(path: string, sizeBytes: number): Promise<StoredBlob | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (isSystemError(error)) return null
    throw error
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null) return null
    const { sizeBytes: size, checksum } = parsed as Record<string, unknown>
    if (size !== sizeBytes || typeof checksum !== 'string' || !CHECKSUM.test(checksum)) return null
    return { sizeBytes, checksum }
  } catch {
    // A sidecar torn by a crash is only a lost shortcut.
    return null
  }
}

/** Reads the whole file once, streaming, and resolves with its size and sha256. */
export async function hashFile(path: string): Promise<StoredBlob> {
  const hash = createHash('sha256')
  let sizeBytes = 0
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    sizeBytes += chunk.byteLength
  }
  return { sizeBytes, checksum: `sha256:${hash.digest('hex')}` }
}

/** Makes a rename or a new name in `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(dir, 'r')
  } catch (error) {
    // Windows cannot open a directory; there the rename is as durable as the platform makes it.
    if (isSystemError(error, 'EISDIR', 'EPERM')) return
    throw error
  }
  try {
    await handle.sync()
  } catch (error) {
    // Some file systems refuse fsync on a directory; their renames need no such help.
    if (!isSystemError(error, 'EINVAL', 'ENOTSUP')) throw error
  } finally {
    await handle.close()
  }
}
