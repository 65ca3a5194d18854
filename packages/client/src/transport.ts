import { ProblemError } from './problem-error.js'
import type { SocketConstructor, SocketLike } from './socket.js'

/** How the client reaches the service; shared by REST, record, upload and events. */
export interface ClientOptions {
  /** The service's origin, e.g. `https://rec.example.com` (no `/api/v1`). */
  readonly baseUrl: string
  /** A fixed JWT. Either this or `getToken`. */
  readonly token?: string
  /** Awaited before each request and each reconnect, so an expired token is refreshed. */
  readonly getToken?: () => string | Promise<string>
  /** WebSocket implementation; default `globalThis.WebSocket` (browsers, Node ≥ 22). Node 20: `ws`. */
  readonly WebSocket?: SocketConstructor
  /** fetch implementation; default `globalThis.fetch`. */
  readonly fetch?: typeof fetch
}

export interface RequestOptions {
  readonly method?: string
  readonly json?: unknown
  readonly headers?: Record<string, string>
  readonly body?: RequestInit['body']
  readonly query?: Record<string, string | number | undefined>
}

/** Authenticated HTTP and WebSocket URLs for one service. */
export class Transport {
  readonly #options: ClientOptions
  readonly baseUrl: string

  constructor(options: ClientOptions) {
    if (!options.token && !options.getToken) throw new TypeError('createClient: pass token or getToken')
    this.#options = options
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
  }

  /** The current token: `getToken()` awaited, else the fixed one. */
  async token(): Promise<string> {
    return this.#options.getToken ? await this.#options.getToken() : (this.#options.token ?? '')
  }

  /** Sends a request under `/api/v1` (or to an absolute URL); a non-2xx answer is thrown as a ProblemError. */
  async fetch(path: string, init: RequestOptions = {}): Promise<Response> {
    const url = new URL(/^https?:/.test(path) ? path : `${this.baseUrl}/api/v1${path}`)
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token()}`,
      ...init.headers,
    }
    let body = init.body ?? null
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.json)
    }
    const doFetch = this.#options.fetch ?? globalThis.fetch
    const response = await doFetch(url, { method: init.method ?? 'GET', headers, body })
    if (!response.ok) throw await ProblemError.from(response)
    return response
  }

  /** The request's JSON body. */
  async json<T>(path: string, init: RequestOptions = {}): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T
  }

  /** Opens a WebSocket under `/api/v1` with `?token=` (browsers cannot set headers on upgrades). */
  async socket(path: string): Promise<SocketLike> {
    const Socket = this.#options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket
    if (!Socket) {
      throw new TypeError('no WebSocket in this runtime: pass createClient({ WebSocket }) (e.g. from "ws")')
    }
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/api/v1${path}?token=${encodeURIComponent(await this.token())}`
    return new Socket(url) as SocketLike
  }
}
