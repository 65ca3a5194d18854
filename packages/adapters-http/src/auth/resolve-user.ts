import { HttpProblem } from '../problems/http-problem.js'
import type { Authenticator } from './authenticator.js'

export type AuthResult =
  | { readonly ok: true; readonly userId: string }
  | { readonly ok: false; readonly problem: HttpProblem }

/** Sent with every 401 so clients know which scheme to retry with (RFC 6750). */
export const WWW_AUTHENTICATE = 'Bearer'

const unauthorized = (detail: string): AuthResult => ({
  ok: false,
  problem: new HttpProblem('UNAUTHORIZED', { detail, headers: { 'WWW-Authenticate': WWW_AUTHENTICATE } }),
})

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer[ ]+([^\s]+)\s*$/i)
  return match?.[1] ?? null
}

/**
 * Turns a raw token (from a header, or a WebSocket `?token=`) into the user id or a 401 problem.
 * Every failure reads the same to the client: which check failed is nobody's business but ours.
 */
export async function resolveUser(
  authenticator: Authenticator,
  token: string | null | undefined,
): Promise<AuthResult> {
  if (!token) return unauthorized('a bearer token is required')
  try {
    const { userId } = await authenticator.verify(token)
    return { ok: true, userId }
  } catch {
    return unauthorized('the bearer token is invalid or expired')
  }
}
