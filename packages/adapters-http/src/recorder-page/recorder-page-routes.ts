import { isUuid } from '@rec/domain'
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'
import type { StaticFile } from './static-files.js'

export interface RecorderPageDeps {
  /** The built page (index.html, app.js, …), see `loadStaticFiles`. */
  readonly files: ReadonlyMap<string, StaticFile>
  /**
   * Development only: `POST /dev/token` answers `{ token, userId }` signed for `userId` (the body's
   * `userId`, else a new one), so the page needs no pasted token. Null: no such route.
   */
  readonly issueDevToken: ((userId: string) => Promise<string>) | null
}

// The page talks to its own origin (REST, WebSocket, playback URLs); media may come from object storage.
const CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "media-src 'self' blob: https: http:",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The recorder page (SPEC §11): `GET /` and its assets under `/recorder/`, from memory, plus the
 * development token route. Mounted by the server only when the page is enabled.
 */
export function createRecorderPageRoutes(deps: RecorderPageDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const serve = (name: string) => {
    const file = deps.files.get(name)
    if (!file) throw new HttpProblem('NOT_FOUND', { detail: 'no such file of the recorder page' })
    return new Response(file.body as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': file.contentType,
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      },
    })
  }
  app.get('/', () => serve('index.html'))
  app.get('/recorder/:name', (c) => serve(c.req.param('name')))

  const issue = deps.issueDevToken
  if (issue) {
    app.post('/dev/token', async (c) => {
      const text = await c.req.text()
      let userId: unknown = crypto.randomUUID()
      if (text.trim()) {
        try {
          userId = (JSON.parse(text) as { userId?: unknown }).userId ?? userId
        } catch {
          throw new HttpProblem('VALIDATION_FAILED', { detail: 'the body is not JSON' })
        }
      }
      if (typeof userId !== 'string' || !isUuid(userId)) {
        throw new HttpProblem('VALIDATION_FAILED', {
          errors: [{ path: 'body.userId', message: 'must be a UUID' }],
        })
      }
      c.header('cache-control', 'no-store')
      return c.json({ token: await issue(userId), userId }, 201)
    })
  }
  return app
}
