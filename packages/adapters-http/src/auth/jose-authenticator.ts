import { webcrypto } from 'node:crypto'
import { isUuid, normaliseId } from '@rec/domain'
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { Authenticator } from './authenticator.js'
import { VerifiedTokens } from './verified-tokens.js'

export interface JoseAuthenticatorOptions {
  /** HS256 shared secret (at least 32 bytes). Exactly one of `secret` and `jwksUrl`. */
  readonly secret?: Uint8Array
  /** Where the issuer publishes its public keys; only asymmetric algorithms are accepted. */
  readonly jwksUrl?: string
  readonly issuer?: string
  readonly audience?: string
  /** Tokens longer than this are refused unparsed, so a huge header cannot cost CPU. */
  readonly maxTokenBytes?: number
}

/** Asymmetric only: a JWKS-configured verifier must never accept an HS token signed with a public key. */
const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA']

export class InvalidTokenError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options)
    this.name = 'InvalidTokenError'
  }
}

/** Verifies JWTs with jose; pinning the algorithm list is what refuses `alg: none` and HS/RS confusion. */
export class JoseAuthenticator implements Authenticator {
  readonly #key: Uint8Array | JWTVerifyGetKey
  /**
   * The HS256 secret imported once: given raw bytes, jose imports a WebCrypto key on every verify,
   * which was a fifth of the server's time on an authenticated read (bench/RESULTS.md).
   */
  #hmacKey: Promise<webcrypto.CryptoKey> | null = null
  readonly #algorithms: string[]
  readonly #issuer: string | undefined
  readonly #audience: string | undefined
  readonly #maxTokenBytes: number
  readonly #verified = new VerifiedTokens()

  constructor({ secret, jwksUrl, issuer, audience, maxTokenBytes = 8 * 1024 }: JoseAuthenticatorOptions) {
    if ((secret === undefined) === (jwksUrl === undefined)) {
      throw new Error('JoseAuthenticator needs exactly one of secret and jwksUrl')
    }
    if (secret !== undefined) {
      if (secret.byteLength < 32) throw new Error('the HS256 secret must be at least 32 bytes')
      this.#key = secret
      this.#algorithms = ['HS256']
    } else {
      this.#key = createRemoteJWKSet(new URL(jwksUrl ?? ''))
      this.#algorithms = ASYMMETRIC
    }
    this.#issuer = issuer
    this.#audience = audience
    this.#maxTokenBytes = maxTokenBytes
  }

  async verify(token: string): Promise<{ readonly userId: string }> {
    if (token.length > this.#maxTokenBytes) throw new InvalidTokenError('token too large')
    const known = this.#verified.get(token, Date.now())
    if (known !== null) return { userId: known }
    const options = {
      algorithms: this.#algorithms,
      // A token without `exp` would never expire: refused (SPEC §3).
      requiredClaims: ['exp'],
      ...(this.#issuer !== undefined ? { issuer: this.#issuer } : {}),
      ...(this.#audience !== undefined ? { audience: this.#audience } : {}),
    }
    let payload: JWTPayload
    try {
      // The two overloads differ only in the key type; branching keeps both calls typed.
      const result =
        this.#key instanceof Uint8Array
          ? await jwtVerify(token, await this.#importHmacKey(this.#key), options)
          : await jwtVerify(token, this.#key, options)
      payload = result.payload
    } catch (error) {
      throw new InvalidTokenError('token rejected', { cause: error })
    }
    if (!isUuid(payload.sub)) {
      throw new InvalidTokenError('sub is not a UUID')
    }
    const userId = normaliseId(payload.sub)
    this.#verified.remember(token, userId, payload.exp, Date.now())
    return { userId }
  }

  #importHmacKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
    this.#hmacKey ??= webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ])
    return this.#hmacKey
  }
}
