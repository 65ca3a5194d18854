import type { MiddlewareHandler } from 'hono'
import { compress } from 'hono/compress'
import type { AppEnv } from '../env.js'

export interface CompressJsonOptions {
  /** Smallest body worth compressing. */
  readonly threshold?: number
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json(;|$)/i

/**
 * gzip/deflate for JSON (and problem+json) only: media is already compressed, and compressing it
 * would break Content-Length, ranges and resumable downloads.
 */
export function compressJson({ threshold = 1024 }: CompressJsonOptions = {}): MiddlewareHandler<AppEnv> {
  const inner = compress({ threshold, contentTypeFilter: JSON_TYPE })
  return async function compressJson(c, next) {
    await inner(c, next)
  }
}
