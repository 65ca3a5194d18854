import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from './config.js'

/**
 * The HS256 secret: JWT_SECRET, or in development one generated once into DATA_DIR so that
 * `pnpm token` and the server agree across restarts. Null when only JWKS is configured.
 */
export async function resolveJwtSecret(config: Config): Promise<Uint8Array | null> {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET)
  if (config.JWKS_URL) return null
  const file = join(config.dataDir, 'jwt-secret')
  try {
    return new TextEncoder().encode((await readFile(file, 'utf8')).trim())
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(config.dataDir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  // 'wx' so two processes starting at once cannot overwrite each other's secret.
  await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
  return new TextEncoder().encode((await readFile(file, 'utf8')).trim())
}
