import { DomainError } from '@rec/domain'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../env.js'
import { ERROR_TABLE, type ErrorCode, type ErrorRow, isErrorCode, problemType } from './error-table.js'
import { type FieldError, HttpProblem } from './http-problem.js'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export interface ProblemBody {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: ErrorCode
  readonly requestId: string
  readonly errors?: readonly FieldError[]
}

interface Classified {
  readonly code: ErrorCode
  readonly detail: string | undefined
  readonly errors: readonly FieldError[] | undefined
  readonly headers: Readonly<Record<string, string>>
}

/** Hono's own exceptions (malformed JSON, body limit, media type gate) by status. */
const HTTP_EXCEPTION_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
}

function classify(error: unknown): Classified {
  if (error instanceof HttpProblem) return error
  if (error instanceof DomainError && isErrorCode(error.code)) {
    const row: ErrorRow = ERROR_TABLE[error.code]
    // Domain messages are written for clients (no SQL, no paths); 5xx ones stay generic anyway.
    const detail = row.status < 500 ? error.message : undefined
    return { code: error.code, detail, errors: undefined, headers: row.headers?.(error) ?? {} }
  }
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status] ?? 'INTERNAL'
    const detail = error.status === 400 ? error.message || undefined : undefined
    return { code, detail, errors: undefined, headers: {} }
  }
  return { code: 'INTERNAL', detail: undefined, errors: undefined, headers: {} }
}

/** A problem's status, its headers (Content-Type included) and its JSON text. */
export interface RenderedProblem {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

/** Anything thrown as an RFC 9457 problem for the request `requestId`; nothing internal leaks into it. */
export function renderProblem(error: unknown, requestId: string): RenderedProblem {
  const { code, detail, errors, headers } = classify(error)
  const row: ErrorRow = ERROR_TABLE[code]
  const body: ProblemBody = {
    type: problemType(code),
    title: row.title,
    status: row.status,
    detail:
      row.status >= 500 && code === 'INTERNAL' ? 'An unexpected error occurred.' : (detail ?? row.title),
    code,
    requestId,
    ...(errors ? { errors } : {}),
  }
  return {
    status: row.status,
    headers: { ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE },
    text: JSON.stringify(body),
  }
}

/** Turns anything thrown into an RFC 9457 problem response; nothing internal leaks into it. */
export function problemResponse(c: Context<AppEnv>, error: unknown): Response {
  const { status, headers, text } = renderProblem(error, c.get('requestId'))
  for (const [name, value] of Object.entries(headers)) c.header(name, value)
  // 460 (tus checksum mismatch) is no status Hono's types know; it is a valid one on the wire.
  return c.body(text, status as ContentfulStatusCode)
}

/** The status a thrown value maps to, for logging 5xx. */
export const problemStatus = (error: unknown): number => ERROR_TABLE[classify(error).code].status
