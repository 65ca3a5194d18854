import type { IncomingMessage } from 'node:http'
import type { RecordingService } from '@rec/domain'
import type { Hono } from 'hono'
import type { Logger } from 'pino'
import type { Authenticator } from '../auth/authenticator.js'
import { bearerToken, resolveUser } from '../auth/resolve-user.js'
import type { AppEnv } from '../env.js'
import type { ServiceMetrics } from '../metrics/service-metrics.js'
import { acceptedEncoding, COMPRESS_THRESHOLD, compressText } from '../middleware/compress-json.js'
import { problemStatus, renderProblem } from '../problems/to-problem.js'
import { consumeQuota, type QuotaOptions } from '../rate-limit/rate-limit.js'
import { toRecordingDto, toStatusDto } from '../schemas/recording-schema.js'
import { UuidSchema } from '../schemas/uuid-schema.js'

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
const ROUTE_GET = '/api/v1/recordings/:id'
const ROUTE_STATUS = '/api/v1/recordings/:id/status'

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
 * The two reads clients poll (`GET …/:id/status`, `GET …/:id`), answered without Hono's routing
 * and middleware chain: the same request id, quota, CORS, log line, metrics and problems as the
 * chain gives them (`hot-reads.int.test.ts` compares both answers), in a third of the CPU of a
 * request through three nested sub-apps and twelve middleware (bench/NOTES.md). Any request the
 * fast path is not sure of goes to `next` before anything was counted: another method, an id
 * that is no UUID (the 400 comes from the route's schema), no bearer token or one that fails
 * (the 401 and the per-address quota come from the chain), an upgrade.
 */
export function hotReads(options: HotReadsOptions, next: Fetch): Fetch {
  const acceptId = options.acceptRequestId ?? /^[\w.-]{1,128}$/
  return function fetch(request, env, executionCtx) {
    if (request.method !== 'GET') return next(request, env, executionCtx)
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming
    const target = incoming?.url ?? pathAndQuery(request.url)
    const query = target.indexOf('?')
    const path = query === -1 ? target : target.slice(0, query)
    const match = HOT_PATH.exec(path)
    const id = match?.[1] !== undefined ? UuidSchema.safeParse(match[1]) : null
    const headers = id?.success ? readHeaders(request, incoming) : null
    const token = headers && headers.upgrade === undefined ? bearerToken(headers.authorization) : null
    if (!id?.success || !headers || token === null) return next(request, env, executionCtx)
    const read = { path, id: id.data, status: match?.[2] !== undefined, headers, acceptId }
    return answer(options, read, token, () => next(request, env, executionCtx))
  }
}

interface HotRead {
  readonly path: string
  readonly id: string
  readonly status: boolean
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
    const dto = read.status
      ? toStatusDto(await o.service.status(auth.userId, read.id))
      : toRecordingDto(await o.service.get(auth.userId, read.id))
    body = json(JSON.stringify(dto), read.headers['accept-encoding'], out, vary)
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
  o.metrics?.observeRequest({ method: 'GET', route: read.status ? ROUTE_STATUS : ROUTE_GET, status }, seconds)
  return new Response(body, { status, headers: out })
}

/** The JSON answer, compressed as `compressJson` would. */
function json(text: string, acceptEncoding: string | undefined, out: Record<string, string>, vary: string[]) {
  out['Content-Type'] = 'application/json'
  if (text.length < COMPRESS_THRESHOLD) return text
  vary.push('Accept-Encoding')
  const encoding = acceptedEncoding(acceptEncoding)
  if (!encoding) return text
  out['Content-Encoding'] = encoding
  const compressed = compressText(text, encoding)
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
