import type { HttpBindings } from '@hono/node-server'
import type { AuthResult } from './auth/resolve-user.js'

/** Per-request values the middleware chain sets for handlers. */
export interface AppVariables {
  /** The caller's sane X-Request-Id, or a fresh UUID. */
  requestId: string
  /** What `authenticate` made of the Authorization header; the rate limiter keys on it. */
  auth: AuthResult
  /** The authenticated user; set by `requireUser` on every `/api/v1` route. */
  userId: string
  /** Set by `requestLog`; WebSocket routes call it through `deferRequestLog(c)`. */
  deferRequestLog: (() => (fields: WebSocketLogFields) => void) | undefined
}

/**
 * The Hono environment of every app and sub-app. Bindings are partial because `app.request()`
 * (tests, other runtimes) carries no Node socket.
 */
export interface AppEnv {
  Bindings: Partial<HttpBindings>
  Variables: AppVariables
}

/** What a WebSocket route adds to its request line once the socket closed. */
export interface WebSocketLogFields {
  readonly closeCode: number
  /** The user the socket authenticated as, or null when it was refused for its token. */
  readonly userId: string | null
}
