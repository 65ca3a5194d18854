import type { Config } from './config.js'

/** How the start-up log names the database in use, without its password. */
export function describeDatabase(kind: 'postgres' | 'pglite', config: Config): string {
  if (kind === 'pglite' || !config.DATABASE_URL) return `embedded PGlite in ${config.pgliteDir}`
  const url = new URL(config.DATABASE_URL)
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`
}
