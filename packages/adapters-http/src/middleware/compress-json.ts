import { deflateSync, gzipSync } from 'node:zlib'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'
import { appendVary } from './response-headers.js'

export interface CompressJsonOptions {
  /** Smallest body worth compressing, in UTF-16 units of the JSON text. */
  readonly threshold?: number
}

export type Encoding = 'gzip' | 'deflate'

/** Smallest JSON text compressed by default, in UTF-16 units. */
export const COMPRESS_THRESHOLD = 1024

/** Fastest compression; see `compressJson`. */
const JSON_LEVEL = { level: 1 } as const

/**
 * gzip/deflate for the JSON the routes render with `c.json` (lists, the OpenAPI document); media is
 * already compressed, and compressing it would break Content-Length, ranges and resumable
 * downloads. The text is compressed in one call as it is rendered, and goes out with a
 * Content-Length: Hono's `compress` piped every JSON body through a CompressionStream, chunked,
 * which cost half the list route's throughput for a 10 KB page (bench/NOTES.md). Bodies here are
 * bounded (a page holds at most 100 recordings), so one synchronous call takes tens of µs.
 * Level 1: a 20-item page (10 KB of JSON) compresses in half the time of the default level 6
 * (80 against 165 µs on the bench machine) to 1.24 KB instead of 1.14 KB; repetitive JSON keys
 * leave the higher levels little to find.
 */
export function compressJson({
  threshold = COMPRESS_THRESHOLD,
}: CompressJsonOptions = {}): MiddlewareHandler<AppEnv> {
  return async function compressJson(c, next) {
    if (c.req.method !== 'HEAD')
      renderCompressed(c, threshold, acceptedEncoding(c.req.header('Accept-Encoding')))
    await next()
  }
}

/** What a frozen body rendered to: its text, and each encoding's bytes once asked for. */
export interface Rendering {
  readonly text: string
  gzip?: Buffer
  deflate?: Buffer
}

/**
 * Renderings of frozen bodies. A route that answers the same frozen object again (a list page the
 * domain held, `recording-routes.ts`) has it stringified and compressed once, not per request;
 * a frozen object cannot change, so its rendering cannot go stale. Weak: it goes with the body.
 */
const renderings = new WeakMap<object, Rendering>()

/** The kept rendering of a frozen object (made now if it is the first ask); null for anything else. */
export function renderingOf(object: unknown): Rendering | null {
  if (typeof object !== 'object' || object === null || !Object.isFrozen(object)) return null
  let rendering = renderings.get(object)
  if (!rendering) {
    const text = JSON.stringify(object)
    if (text === undefined) return null
    rendering = { text }
    renderings.set(object, rendering)
  }
  return rendering
}

/** Replaces this request's `c.json` with one that compresses a large enough body. */
function renderCompressed(c: Context<AppEnv>, threshold: number, encoding: Encoding | null): void {
  const json = c.json
  const compressed = (object: unknown, arg?: unknown, headers?: unknown): Response => {
    const rendering = renderingOf(object)
    const text = rendering ? rendering.text : JSON.stringify(object)
    const render = json as (object: unknown, arg?: unknown, headers?: unknown) => Response
    if (text === undefined || text.length < threshold) return render(object, arg, headers)
    // The representation depends on Accept-Encoding whether or not this client sent one.
    appendVary(c, 'Accept-Encoding')
    if (!encoding) return render(object, arg, headers)
    c.header('Content-Type', 'application/json')
    c.header('Content-Encoding', encoding)
    const body = rendering?.[encoding] ?? compressText(text, encoding)
    if (rendering) rendering[encoding] = body
    const respond = c.body as (data: Uint8Array, arg?: unknown, headers?: unknown) => Response
    return respond(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), arg, headers)
  }
  c.json = compressed as typeof c.json
}

/** `text` compressed in one call at the level JSON answers use. */
export function compressText(text: string, encoding: Encoding): Buffer {
  return encoding === 'gzip' ? gzipSync(text, JSON_LEVEL) : deflateSync(text, JSON_LEVEL)
}

/** gzip unless the client prefers deflate or refuses gzip (`gzip;q=0`); null when it takes neither. */
export function acceptedEncoding(header: string | undefined): Encoding | null {
  if (!header) return null
  const q = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = weight ? Number(weight.slice(2)) : 1
    q.set(name.trim(), Number.isFinite(value) ? value : 0)
  }
  const weightOf = (name: Encoding): number => q.get(name) ?? q.get('*') ?? 0
  const gzip = weightOf('gzip')
  const deflate = weightOf('deflate')
  if (gzip <= 0 && deflate <= 0) return null
  return deflate > gzip ? 'deflate' : 'gzip'
}
