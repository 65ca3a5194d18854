import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

export const DEFAULT_DATA_DIR = './data'

/** DATA_DIR, made absolute against `cwd`. */
export function absoluteDataDir(dataDir: string, cwd: string): string {
  return isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir)
}

/** Where the embedded PGlite keeps its files (`DATA_DIR/pg`); null when DATABASE_URL is set. */
export function pgliteDirOf(dataDir: string, databaseUrl: string | undefined): string | null {
  return databaseUrl ? null : join(dataDir, 'pg')
}

/**
 * Read before the configuration is validated (its module is a tenth of a second of the start):
 * the embedded database's directory when it already holds a database, so its open can start at
 * once; else null. It never names a directory still to be initialised: a start its configuration
 * then refuses must not stop an initdb half-way. `loadConfig` derives the same directory.
 */
export function existingPgliteDir(env: NodeJS.ProcessEnv, cwd: string): string | null {
  const dataDir = env.DATA_DIR ?? DEFAULT_DATA_DIR
  if (dataDir === '') return null
  const dir = pgliteDirOf(absoluteDataDir(dataDir, cwd), env.DATABASE_URL)
  return dir !== null && existsSync(join(dir, 'PG_VERSION')) ? dir : null
}
