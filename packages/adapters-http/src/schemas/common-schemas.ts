import { z } from '@hono/zod-openapi'

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ example: 'RECORDING_NOT_FOUND' }),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem')

/** A problem response entry for `createRoute({ responses })`. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})

/** Problems every authenticated route can answer with. */
export const AUTHED_PROBLEMS = {
  400: problem('Invalid request (validation problem with `errors`)'),
  401: problem('Missing or invalid bearer token (UNAUTHORIZED)'),
  404: problem('No such recording, or not yours (RECORDING_NOT_FOUND)'),
  429: problem('Rate limit exceeded (RATE_LIMITED), see Retry-After'),
  503: problem('A backend is unavailable (DEPENDENCY_UNAVAILABLE)'),
} as const

export const BEARER = [{ bearerAuth: [] }]
