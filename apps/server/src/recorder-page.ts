import { join } from 'node:path'
import { type createApp, createRecorderPageRoutes, loadStaticFiles } from '@rec/adapters-http'
import { SignJWT } from 'jose'
import type { Logger } from 'pino'
import type { Config } from './config.js'

/** Where `pnpm build` puts the page (apps/recorder/dist), from src/, dist/ and bundle/ alike. */
export const RECORDER_PAGE_DIR = join(import.meta.dirname, '../../recorder/dist')

/** Mounts the recorder page at `/` when the configuration enables it (and it was built). */
export async function mountRecorderPage(
  app: ReturnType<typeof createApp>,
  options: { config: Config; secret: Uint8Array | null; logger: Logger; dir?: string },
): Promise<void> {
  const { config, secret, logger, dir = RECORDER_PAGE_DIR } = options
  if (!config.recorderPage) return
  const files = await loadStaticFiles(dir)
  if (!files?.has('index.html')) {
    logger.warn({ dir }, 'the recorder page is enabled but not built (run pnpm build): GET / is not served')
    return
  }
  const issueDevToken =
    config.devToken && secret
      ? (userId: string) => {
          let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId)
          if (config.JWT_ISSUER) jwt = jwt.setIssuer(config.JWT_ISSUER)
          if (config.JWT_AUDIENCE) jwt = jwt.setAudience(config.JWT_AUDIENCE)
          return jwt.setIssuedAt().setExpirationTime('12h').sign(secret)
        }
      : null
  app.route('/', createRecorderPageRoutes({ files, issueDevToken }))
  logger.info({ dir, devToken: issueDevToken !== null }, 'recorder page served at /')
}
