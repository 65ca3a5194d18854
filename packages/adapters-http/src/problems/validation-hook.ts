import type { ZodError } from 'zod'
import type { FieldError } from './http-problem.js'
import { HttpProblem } from './http-problem.js'

/** Request parts by the names clients know them (`body`, not hono's `json`). */
const TARGET_NAMES: Readonly<Record<string, string>> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
}

export function fieldErrors(target: string, error: ZodError): FieldError[] {
  const root = TARGET_NAMES[target] ?? target
  return error.issues.flatMap((issue) => {
    const at = [root, ...issue.path.map(String)]
    // One entry per unknown field, so a client sees which of its fields to remove.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: 'unknown field' }))
    }
    return [{ path: at.join('.'), message: issue.message }]
  })
}

/**
 * The zod-openapi `defaultHook`: a failed validation becomes a thrown VALIDATION_FAILED problem,
 * so `onError` renders it like every other error.
 */
export function validationHook(
  result: { target: string } & ({ success: true } | { success: false; error: ZodError }),
): void {
  if (result.success) return
  const errors = fieldErrors(result.target, result.error)
  const first = errors[0]
  throw new HttpProblem('VALIDATION_FAILED', {
    detail: first ? `${first.path}: ${first.message}` : 'the request is invalid',
    errors,
  })
}
