import { type IncomingMessage, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Context, MiddlewareHandler } from 'hono'
import { type WebSocket, WebSocketServer } from 'ws'
import type { AppEnv } from '../env.js'

/**
 * What a WebSocket route hands over once the handshake passed the app: called with the open
 * socket. Build it from plain values (ids, a log writer), never in a scope that holds the Hono
 * context, or the handshake's Request, Headers, Response and context stay alive as long as the
 * socket does (28 KB a stream with `@hono/node-ws`, bench/NOTES.md).
 */
export type SocketOpener = (socket: WebSocket) => void

/** Anything with node:http's `upgrade` event. */
export interface UpgradeSource {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown
}

type Fetch = (request: Request, env: AppEnv['Bindings']) => Response | Promise<Response>

/**
 * The WebSocket upgrade path on Node. An `upgrade` request runs through the app like any other
 * (request id, metrics, request log, auth, rate limit, routing); a WebSocket route answers it with
 * `route(accept)`, whose `accept` reads what it needs from the context and returns a
 * `SocketOpener`. Only then does `ws` write the 101, and the opener gets the socket. Any other
 * answer (429, 404, …) is written to the socket as it is and the connection closed. The request
 * and the context are dropped once the app has answered: the socket keeps nothing of them.
 */
export class WebSocketUpgrades {
  readonly wss: WebSocketServer
  /** Openers of the handshakes the app accepted and that `ws` has not completed yet. */
  readonly #accepted = new Map<IncomingMessage, SocketOpener>()

  constructor(options: { readonly maxPayload: number }) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload })
  }

  /** A route handler: `accept` runs for WebSocket upgrades only; other requests go on to `next`. */
  route(accept: (c: Context<AppEnv>) => Promise<SocketOpener>): MiddlewareHandler<AppEnv> {
    const accepted = this.#accepted
    return async function webSocketUpgrade(c, next) {
      const incoming = c.env?.incoming
      if (!incoming || c.req.header('upgrade')?.toLowerCase() !== 'websocket') return next()
      accepted.set(incoming, await accept(c))
      // Never written: `ws` answers 101 instead. The middleware sees a 200, as it did before.
      return c.body(null)
    }
  }

  /** Routes `server`'s upgrade requests through `fetch` (the app); call it once, before listening is opened. */
  listen(server: UpgradeSource, fetch: Fetch): void {
    server.on('upgrade', (request, socket, head) => {
      this.#upgrade(fetch, request, socket, head).catch(() => socket.destroy())
    })
  }

  async #upgrade(fetch: Fetch, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // node:http took its listeners off the socket when it emitted `upgrade`, and `ws` adds its
    // own only in handleUpgrade: a reset while the app answers would be an uncaught 'error'.
    socket.on('error', destroyOnError)
    let response: Response
    try {
      response = await fetch(toRequest(request), { incoming: request, outgoing: undefined })
    } catch (error) {
      this.#accepted.delete(request)
      throw error
    }
    const open = this.#accepted.get(request)
    this.#accepted.delete(request)
    // An opener with another answer: the chain failed after the route accepted (a 500).
    if (!open || response.status !== 200) return refuse(socket, response)
    // `ws` checks the handshake headers itself (a bad key gets its 400) and drops a socket the
    // client closed meanwhile; the opener then never runs.
    socket.off('error', destroyOnError)
    this.wss.handleUpgrade(request, socket, head, open)
  }
}

function destroyOnError(this: Duplex): void {
  this.destroy()
}

/** A GET `Request` of the upgrade's URL and headers; the body of an upgrade is the socket's. */
function toRequest(incoming: IncomingMessage): Request {
  const headers = new Headers()
  const raw = incoming.rawHeaders
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string)
  // The Host header is the client's to choose; the path is all the routes read.
  return new Request(new URL(incoming.url ?? '/', 'http://localhost'), {
    method: incoming.method ?? 'GET',
    headers,
  })
}

/** Writes the app's answer (a problem, usually) on the raw socket and closes it. */
async function refuse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  if (socket.destroyed) return
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`]
  for (const [name, value] of response.headers) {
    if (name === 'content-length' || name === 'connection' || name === 'transfer-encoding') continue
    lines.push(`${name}: ${value}`)
  }
  lines.push(`Content-Length: ${body.byteLength}`, 'Connection: close', '', '')
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]))
}
