/**
 * Every failed API call throws this: the RFC 9457 problem the service answered, or one the client
 * made up for a response that was not a problem (then `code` is `HTTP_<status>`).
 *
 * @example
 * try { await client.recordings.get(id) } catch (e) { if (e instanceof ProblemError && e.status === 404) … }
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError'
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly requestId: string | null
  /** Validation problems: which field and why. */
  readonly errors: readonly { path: string; message: string }[]

  constructor(init: {
    status: number
    code: string
    detail: string
    requestId?: string | null
    errors?: readonly { path: string; message: string }[]
  }) {
    super(`${init.status} ${init.code}: ${init.detail}`)
    this.status = init.status
    this.code = init.code
    this.detail = init.detail
    this.requestId = init.requestId ?? null
    this.errors = init.errors ?? []
  }

  /** Reads a non-2xx response into a ProblemError (never throws while doing so). */
  static async from(response: Response): Promise<ProblemError> {
    const requestId = response.headers.get('x-request-id')
    let body: Record<string, unknown> = {}
    try {
      const text = await response.text()
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      // not JSON: the status alone says what happened
    }
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
    return new ProblemError({
      status: response.status,
      code: str(body.code) ?? `HTTP_${response.status}`,
      detail: str(body.detail) ?? str(body.title) ?? (response.statusText || 'request failed'),
      requestId: str(body.requestId) ?? requestId,
      errors: Array.isArray(body.errors) ? (body.errors as { path: string; message: string }[]) : [],
    })
  }
}
