import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from './config.js'

/**
 * What playback URL keys are derived from (the adapter derives with HKDF and a label, so this is
 * never used as a key itself): PLAYBACK_SIGNING_KEY, else the JWT secret, else (JWKS only, outside
 * production) a secret generated once into DATA_DIR/playback-secret, shared by instances on that volume.
 */
export async function resolvePlaybackSecret(
  config: Config,
  jwtSecret: Uint8Array | null,
): Promise<Uint8Array> {
  if (config.PLAYBACK_SIGNING_KEY) return new TextEncoder().encode(config.PLAYBACK_SIGNING_KEY)
  if (jwtSecret) return jwtSecret
  const file = join(config.dataDir, 'playback-secret')
  await mkdir(config.dataDir, { recursive: true })
  // 'wx' so two processes starting at once cannot overwrite each other's secret.
  await writeFile(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    },
  )
  return new TextEncoder().encode((await readFile(file, 'utf8')).trim())
}
