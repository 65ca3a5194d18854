import type { ErrorCode } from './error-table.js'

export interface FieldError {
  /** Where the bad value is: `body.sessionId`, `query.limit`, `params.id`, `headers.upload-offset`. */
  readonly path: string
  readonly message: string
}

export interface HttpProblemOptions {
  readonly detail?: string
  readonly errors?: readonly FieldError[]
  readonly headers?: Readonly<Record<string, string>>
  /** For logs only; never rendered. */
  readonly cause?: unknown
}

/**
 * An HTTP-level rejection (auth, validation, media type, rate limit). Thrown from middleware and
 * handlers like a domain error, so both reach the client through the same error table.
 */
export class HttpProblem extends Error {
  readonly detail: string | undefined
  readonly errors: readonly FieldError[] | undefined
  readonly headers: Readonly<Record<string, string>>

  constructor(
    readonly code: ErrorCode,
    options: HttpProblemOptions = {},
  ) {
    super(options.detail ?? code, { cause: options.cause })
    this.name = 'HttpProblem'
    this.detail = options.detail
    this.errors = options.errors
    this.headers = options.headers ?? {}
  }
}
