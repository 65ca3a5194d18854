import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Makes paths refuse writes even to root: `chattr +i` (ext4, xfs, btrfs) turns a file or a
 * directory immutable, and a descriptor already open for writing fails too (EPERM). Permission
 * bits cannot do this, since root ignores them; a read-only bind mount would need privileges.
 */
export function setImmutable(paths: readonly string[], on: boolean): void {
  if (paths.length > 0) execFileSync('chattr', [on ? '+i' : '-i', ...paths])
}

/** Why `chattr +i` cannot be used here, or null when it works (tried once on a scratch dir). */
export function immutableUnsupported(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'rec-chattr-'))
  try {
    setImmutable([dir], true)
    setImmutable([dir], false)
    return null
  } catch (error) {
    return `chattr +i does not work here (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
