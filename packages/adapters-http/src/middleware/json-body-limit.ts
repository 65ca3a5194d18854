import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../env.js'
import { HttpProblem } from '../problems/http-problem.js'

export interface JsonBodyLimitOptions {
  readonly maxBytes?: number
}

/**
 * Caps bodies of JSON routes (413). Mounted per route, never on media ingest, whose bodies are
 * streamed and bounded by the recording limits instead.
 */
export function jsonBodyLimit({
  maxBytes = 64 * 1024,
}: JsonBodyLimitOptions = {}): MiddlewareHandler<AppEnv> {
  const inner = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem('PAYLOAD_TOO_LARGE', { detail: `JSON bodies are limited to ${maxBytes} bytes` })
    },
  })
  return async function jsonBodyLimit(c, next) {
    await inner(c, next)
  }
}
