import { OpenAPIHono } from '@hono/zod-openapi'
import type { PlaybackAccess } from '@rec/domain'
import type { AppEnv } from '../env.js'
import { validationHook } from '../problems/validation-hook.js'
import { playbackUrlRoute } from './playback-route-defs.js'

export interface PlaybackUrlRouteDeps {
  readonly access: PlaybackAccess
  /** Where `/playback` is reached from outside (PUBLIC_URL); null: the origin the request came to. */
  readonly publicUrl: string | null
  /** The path `createPlaybackRoutes` is mounted at. */
  readonly playbackPath: string
}

/** `POST /api/v1/recordings/:id/playback-url`: the owner of a completed recording gets a signed URL. */
export function createPlaybackUrlRoutes(deps: PlaybackUrlRouteDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openapi(playbackUrlRoute, async (c) => {
    const { grant, signature } = await deps.access.issue(c.get('userId'), c.req.valid('param').id)
    const base = (deps.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '')
    const url = new URL(`${base}${deps.playbackPath}/${grant.recordingId}`)
    url.searchParams.set('expires', String(grant.expiresAt.getTime() / 1000))
    url.searchParams.set('signature', signature)
    // The URL is a bearer capability: no cache may keep the response that holds it.
    c.header('Cache-Control', 'no-store')
    return c.json({ url: url.href, expiresAt: grant.expiresAt.toISOString() }, 201)
  })
  return app
}
