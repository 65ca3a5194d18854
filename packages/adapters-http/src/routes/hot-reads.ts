import type { IncomingMessage } from 'node:http'
import type { RecordingService } from '@rec/domain'
import type { Hono } from 'hono'
import type { Logger } from 'pino'
import type { Authenticator } from '../auth/authenticator.js'
import { bearerToken, resolveUser } from '../auth/resolve-user.js'
import type { AppEnv } from '../env.js'
import type { ServiceMetrics } from '../metrics/service-metrics.js'
import {
  acceptedEncoding,
  COMPRESS_THRESHOLD,
  compressText,
  renderingOf,
} from '../middleware/compress-json.js'
import { problemStatus, renderProblem } from '../problems/to-problem.js'
import { consumeQuota, type QuotaOptions } from '../rate-limit/rate-limit.js'
import { toRecordingDto, toStatusDto } from '../schemas/recording-schema.js'
import { ListQuerySchema } from '../schemas/request-schemas.js'
import { UuidSchema } from '../schemas/uuid-schema.js'
import { type ListParams, listPage } from './list-page.js'

export interface HotReadsOptions {
  readonly service: RecordingService
  readonly authenticator: Authenticator
  readonly quota: QuotaOptions
  readonly logger: Logger
  readonly metrics: ServiceMetrics | undefined
  /** `'*'` or the exact origins allowed, and the exposed headers, as `corsHeaders` has them. */
  readonly corsOrigin: '*' | readonly string[]
  readonly corsExpose: string
  /** What `requestId` accepts from a caller. */
  readonly acceptRequestId?: RegExp
}

/** The app's `fetch`: a Web Request and, on Node, `{ incoming, outgoing }`. */
type Fetch = Hono<AppEnv>['fetch']

/** `/api/v1/recordings/<id>` and `/api/v1/recordings/<id>/status`, nothing else. */
const HOT_PATH = /^\/api\/v1\/recordings\/([0-9A-Za-z-]{36})(\/status)?$/
const LIST_PATH = '/api/v1/recordings'
/** The route patterns the chain's metric names them by. */
const ROUTES = { get: '/api/v1/recordings/:id', status: '/api/v1/recordings/:id/status', list: LIST_PATH }
/** A list query taken here: the schema's fields once each, in characters no decoding changes. */
const LIST_QUERY = /^[\w.=&-]*$/
const LIST_KEYS = new Set(['page', 'limit', 'status', 'sessionId', 'cursor'])

/** The request headers the fast path reads, as Hono would read them (duplicates joined). */
interface HotHeaders {
  authorization?: string
  'x-request-id'?: string
  origin?: string
  'accept-encoding'?: string
  upgrade?: string
}
const READ = new Set<string>(['authorization', 'x-request-id', 'origin', 'accept-encoding', 'upgrade'])

/**
 * The reads clients poll (`GET …/:id/status`, `GET …/:id`, `GET /recordings?…`), answered without
 * Hono's routing and middleware chain: the same request id, quota, CORS, compression, log line,
 * metric and problems as the chain gives them (`hot-reads.int.test.ts` compares both answers), for
 * a third of the CPU of a request through three nested sub-apps and twelve middleware
 * (bench/NOTES.md). Any request the fast path is not sure of goes to `next` before anything was
 * counted: another method or path, an id that is no UUID or a list query the route's schema
 * refuses (their 400s come from the chain), a list query with a repeated, unknown or escaped
 * field, no bearer token or one that fails (the 401 and the per-address quota come from the
 * chain), an upgrade.
 */
export function hotReads(options: HotReadsOptions, next: Fetch): Fetch {
  const acceptId = options.acceptRequestId ?? /^[\w.-]{1,128}$/
  return function fetch(request, env, executionCtx) {
    if (request.method !== 'GET') return next(request, env, executionCtx)
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming
    const target = incoming?.url ?? pathAndQuery(request.url)
    const query = target.indexOf('?')
    const path = query === -1 ? target : target.slice(0, query)
    const what = whatIsRead(path, query === -1 ? '' : target.slice(query + 1))
    const headers = what ? readHeaders(request, incoming) : null
    const token = headers && headers.upgrade === undefined ? bearerToken(headers.authorization) : null
    if (!what || !headers || token === null) return next(request, env, executionCtx)
    return answer(options, { path, what, headers, acceptId }, token, () => next(request, env, executionCtx))
  }
}

type What =
  | { readonly kind: 'get' | 'status'; readonly id: string }
  | { readonly kind: 'list'; readonly params: ListParams }

/** Which of the hot reads `path` and `query` ask for, validated as the routes' schemas would; else null. */
function whatIsRead(path: string, query: string): What | null {
  if (path === LIST_PATH) {
    const params = listParams(query)
    return params ? { kind: 'list', params } : null
  }
  const match = HOT_PATH.exec(path)
  if (!match?.[1]) return null
  const id = UuidSchema.safeParse(match[1])
  return id.success ? { kind: match[2] === undefined ? 'get' : 'status', id: id.data } : null
}

function listParams(query: string): ListParams | null {
  if (!LIST_QUERY.test(query)) return null
  const raw: Record<string, string> = {}
  if (query !== '') {
    for (const part of query.split('&')) {
      const eq = part.indexOf('=')
      const key = eq === -1 ? part : part.slice(0, eq)
      if (!LIST_KEYS.has(key) || key in raw) return null
      raw[key] = eq === -1 ? '' : part.slice(eq + 1)
    }
  }
  const parsed = ListQuerySchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

interface HotRead {
  readonly path: string
  readonly what: What
  readonly headers: HotHeaders
  readonly acceptId: RegExp
}

async function answer(
  o: HotReadsOptions,
  read: HotRead,
  token: string,
  next: () => Response | Promise<Response>,
): Promise<Response> {
  const started = performance.now()
  const auth = await resolveUser(o.authenticator, token)
  if (!auth.ok) return next()
  const offered = read.headers['x-request-id']
  const requestId = offered !== undefined && read.acceptId.test(offered) ? offered : crypto.randomUUID()
  const out: Record<string, string> = { 'X-Request-Id': requestId }
  const vary: string[] = []
  let status = 200
  let body: string | Uint8Array
  // Unset until the quota let the request through, as `requireUser` runs after the limiter.
  let userId: string | null = null
  try {
    const quota = await consumeQuota(o.quota, `user:${auth.userId}`, requestId).catch((error: unknown) => {
      const headers = (error as { quotaHeaders?: Record<string, string> }).quotaHeaders
      if (headers) Object.assign(out, headers)
      throw error
    })
    if (quota) Object.assign(out, quota)
    userId = auth.userId
    const { what } = read
    const dto =
      what.kind === 'list'
        ? await listPage(o.service, auth.userId, what.params)
        : what.kind === 'status'
          ? toStatusDto(await o.service.status(auth.userId, what.id))
          : toRecordingDto(await o.service.get(auth.userId, what.id))
    body = json(dto, read.headers['accept-encoding'], out, vary)
  } catch (error) {
    if (problemStatus(error) >= 500) {
      o.logger.error({ err: error, requestId, method: 'GET', path: read.path }, 'request error')
    }
    const problem = renderProblem(error, requestId)
    Object.assign(out, problem.headers)
    status = problem.status
    body = problem.text
  }
  cors(o, read.headers.origin ?? '', out, vary)
  if (vary.length > 0) out.Vary = vary.join(', ')
  const seconds = (performance.now() - started) / 1000
  const line = {
    method: 'GET',
    path: read.path,
    status,
    durationMs: Math.round(seconds * 100_000) / 100,
    requestId,
    userId,
  }
  if (status >= 500) o.logger.error(line, 'request failed')
  else o.logger.info(line, 'request')
  o.metrics?.observeRequest({ method: 'GET', route: ROUTES[read.what.kind], status }, seconds)
  return new Response(body, { status, headers: out })
}

/** The JSON answer, compressed as `compressJson` would (a frozen body's rendering kept). */
function json(
  object: object,
  acceptEncoding: string | undefined,
  out: Record<string, string>,
  vary: string[],
) {
  out['Content-Type'] = 'application/json'
  const rendering = renderingOf(object)
  const text = rendering?.text ?? JSON.stringify(object)
  if (text.length < COMPRESS_THRESHOLD) return text
  vary.push('Accept-Encoding')
  const encoding = acceptedEncoding(acceptEncoding)
  if (!encoding) return text
  out['Content-Encoding'] = encoding
  const compressed = rendering?.[encoding] ?? compressText(text, encoding)
  if (rendering) rendering[encoding] = compressed
  return new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength)
}

/** `corsHeaders` on a non-preflight answer. */
function cors(o: HotReadsOptions, requested: string, out: Record<string, string>, vary: string[]): void {
  const origin = o.corsOrigin
  const allowed = origin === '*' ? '*' : origin.includes(requested) ? requested : null
  if (allowed) out['Access-Control-Allow-Origin'] = allowed
  if (o.corsExpose) out['Access-Control-Expose-Headers'] = o.corsExpose
  if (origin !== '*') vary.push('Origin')
}

/** The headers read, from Node's raw list when there is one (a Web Headers would be built for it). */
function readHeaders(request: Request, incoming: IncomingMessage | undefined): HotHeaders {
  const headers: Record<string, string> = {}
  if (!incoming) {
    for (const name of READ) {
      const value = request.headers.get(name)
      if (value !== null) headers[name] = value
    }
    return headers
  }
  const raw = incoming.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase()
    if (!READ.has(name)) continue
    const value = raw[i + 1] ?? ''
    const before = headers[name]
    // As a Web Headers joins repeated fields (Node's `headers` keeps the first Authorization).
    headers[name] = before === undefined ? value : `${before}, ${value}`
  }
  return headers
}

function pathAndQuery(url: string): string {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}
