/**
 * The part of the Web Crypto API (a global in Node ≥ 19 and every browser) the in-memory adapters
 * use. Declared here because the domain compiles without DOM or Node types.
 */
interface WebCrypto {
  randomUUID(): string
  readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> }
}

export const webCrypto = (): WebCrypto => (globalThis as unknown as { crypto: WebCrypto }).crypto

/** Hex SHA-256 of `bytes`, with the platform's Web Crypto. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await webCrypto().subtle.digest('SHA-256', bytes))
  let hex = ''
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0')
  return hex
}
