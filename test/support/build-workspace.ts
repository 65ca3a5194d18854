import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

export const WORKSPACE_ROOT = join(import.meta.dirname, '../..')

/**
 * Builds the given TypeScript projects (`tsc -b`, incremental: nothing to do when `dist` is
 * current, as after `pnpm typecheck` in CI) so a test can run the built JavaScript under plain
 * Node. Test files run in parallel, and two `tsc -b` writing the same `dist` would trip over each
 * other: `flock` makes them take turns on one lock file.
 */
export function buildProjects(...projects: string[]): void {
  const lockDir = join(WORKSPACE_ROOT, 'node_modules/.cache')
  mkdirSync(lockDir, { recursive: true })
  const tsc = join(WORKSPACE_ROOT, 'node_modules/.bin/tsc')
  const run = spawnSync('flock', [join(lockDir, 'rec-build.lock'), tsc, '-b', ...projects], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`tsc -b ${projects.join(' ')} failed:\n${run.stdout}${run.stderr}`)
}
