/** Verifies a bearer token. */
export interface Authenticator {
  /**
   * Resolves with the user the token was issued to. Rejects (with any error) when the token is
   * malformed, expired, wrongly signed, unsigned, for another issuer or audience, or names no
   * UUID user; callers turn every rejection into the same 401.
   */
  verify(token: string): Promise<{ readonly userId: string }>
}
