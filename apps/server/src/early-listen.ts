import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { answerClientError, StrictServerResponse } from '@rec/adapters-http/node'

/**
 * Slowloris and idle-connection bounds. Headers must arrive within 10 s (checked every second, not
 * Node's default 30 s); keep-alive sockets idle 5 s between requests are closed. No total request
 * time: a large PATCH upload that keeps moving may take as long as it needs; `applyIdleTimeout`
 * ends one that stalls.
 */
export const HTTP_SERVER_OPTIONS = {
  headersTimeout: 10_000,
  requestTimeout: 0,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  // Empty answers (204, 304, HEAD) without the text/plain Content-Type the adapter would add (SPEC §9).
  ServerResponse: StrictServerResponse,
} as const

/** A connection silent for 60 s is closed; WebSocket keepalive pings (30 s) keep live streams inside it. */
export function applyIdleTimeout(server: Server): void {
  server.setTimeout(60_000)
}

/** PORT and HOST when unset (config.ts documents and checks them). */
export const DEFAULT_PORT = 3000
export const DEFAULT_HOST = '0.0.0.0'

/**
 * The listen address read straight from the environment, before the configuration's schema (zod,
 * a large part of the time before the first answer) is loaded. Null unless PORT is plain digits
 * in range and HOST is not blank: anything else waits for `loadConfig`, which names what is wrong.
 */
export function earlyAddress(env: NodeJS.ProcessEnv): { port: number; host: string } | null {
  if (env.PORT !== undefined && !/^\d{1,5}$/.test(env.PORT)) return null
  const port = env.PORT === undefined ? DEFAULT_PORT : Number(env.PORT)
  const host = env.HOST ?? DEFAULT_HOST
  return port > 65_535 || host === '' ? null : { port, host }
}

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown

/** A server that listens while the service starts; `open` hands it the app. */
export interface StartingServer {
  readonly server: Server
  /**
   * Serves every request with `listener` from now on, the held ones first. Call it once the app's
   * `upgrade` listener (the WebSocket routes) is attached: held upgrades are re-emitted to it.
   */
  open(listener: RequestListener): void
}

type HeldUpgrade = readonly [IncomingMessage, Duplex, Buffer]

/**
 * Listens before the service has started (module loading, the database, migrations, the job
 * queue: seconds on PGlite), so a liveness probe is answered at once. Until `open`:
 * - `GET /health` answers 200, as it will afterwards (the process is alive and serving);
 * - `GET /health/ready` answers 503 with the check `startup: failing` (SPEC §14: ready only
 *   when every backend answers, and none is wired yet);
 * - every other request, and every WebSocket upgrade, is held and served once the app is there,
 *   with the answer it would have got had it arrived later. Nothing is refused for being early.
 */
export function listenEarly(options: { port: number; host: string }): Promise<StartingServer> {
  const held: [IncomingMessage, ServerResponse][] = []
  const heldUpgrades: HeldUpgrade[] = []
  let listener: RequestListener | null = null
  const server = createServer(HTTP_SERVER_OPTIONS, (request, response) => {
    if (listener) return listener(request, response)
    if (answerWhileStarting(request, response)) return
    held.push([request, response])
  })
  applyIdleTimeout(server)
  // A problem body, not node:http's bare status line, for requests its parser refuses (431, 400, 408).
  server.on('clientError', answerClientError)
  const holdUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    heldUpgrades.push([request, socket, head])
  }
  server.on('upgrade', holdUpgrade)
  const starting: StartingServer = {
    server,
    open(app) {
      if (listener) throw new Error('the server is already open')
      listener = app
      server.off('upgrade', holdUpgrade)
      for (const [request, response] of held.splice(0)) app(request, response)
      for (const [request, socket, head] of heldUpgrades.splice(0)) {
        if (socket.destroyed) continue
        if (!server.emit('upgrade', request, socket, head)) socket.destroy()
      }
    },
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve(starting)
    })
  })
}

/** The two probes while starting; true when it answered. */
function answerWhileStarting(request: IncomingMessage, response: ServerResponse): boolean {
  const path = request.url?.split('?')[0]
  const method = request.method
  if (method !== 'GET' && method !== 'HEAD') return false
  if (path === '/health') {
    const body = {
      status: 'healthy',
      timestamp: new Date().toISOString(),
      uptime: Math.round(process.uptime()),
    }
    respondJson(response, 200, body, method)
    return true
  }
  if (path === '/health/ready') {
    response.setHeader('Cache-Control', 'no-store')
    respondJson(response, 503, { status: 'unavailable', checks: { startup: 'failing' } }, method)
    return true
  }
  return false
}

function respondJson(response: ServerResponse, status: number, body: unknown, method: string): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    // Like every answer of the app (its request-id middleware).
    'X-Request-Id': crypto.randomUUID(),
  })
  response.end(method === 'HEAD' ? undefined : text)
}
