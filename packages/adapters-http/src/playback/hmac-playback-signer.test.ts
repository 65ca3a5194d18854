import { createHmac } from 'node:crypto'
import { runPlaybackSignerContract } from '@rec/domain/testing'
import { describe, expect, it } from 'vitest'
import { HmacPlaybackSigner } from './hmac-playback-signer.js'

const secret = new TextEncoder().encode('a-jwt-secret-that-is-at-least-32-bytes-long')
const id = '0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11'
const grant = { recordingId: id, expiresAt: new Date('2026-01-01T01:00:00Z') }

runPlaybackSignerContract('hmac', () => ({
  signer: HmacPlaybackSigner.fromSecret(secret),
  otherKey: HmacPlaybackSigner.fromSecret(new TextEncoder().encode('another-secret-that-is-32-bytes-long!!')),
}))

describe('HmacPlaybackSigner', () => {
  it('verifies its own signature, case-insensitively on the id', () => {
    const signer = HmacPlaybackSigner.fromSecret(secret)
    const signature = signer.sign(grant)
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(signer.verify(grant, signature)).toBe(true)
    expect(signer.verify({ ...grant, recordingId: id.toUpperCase() }, signature)).toBe(true)
  })

  it('refuses another id, another expiry, another key, a flipped character and junk', () => {
    const signer = HmacPlaybackSigner.fromSecret(secret)
    const signature = signer.sign(grant)
    expect(signer.verify({ ...grant, recordingId: id.replace('a11', 'a12') }, signature)).toBe(false)
    expect(signer.verify({ ...grant, expiresAt: new Date('2026-01-01T02:00:00Z') }, signature)).toBe(false)
    expect(signer.verify({ ...grant, expiresAt: new Date(Number.NaN) }, signature)).toBe(false)
    const other = HmacPlaybackSigner.fromSecret(
      new TextEncoder().encode('another-secret-that-is-32-bytes-long!!'),
    )
    expect(other.verify(grant, signature)).toBe(false)
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
    expect(signer.verify(grant, flipped)).toBe(false)
    for (const junk of ['', 'x', `${signature}=`, `${signature}A`, signature.replace(/.$/, '+')]) {
      expect(signer.verify(grant, junk)).toBe(false)
    }
  })

  it('signs with a key derived from the secret, never with the secret itself', () => {
    const signature = HmacPlaybackSigner.fromSecret(secret).sign(grant)
    const withSecret = createHmac('sha256', secret)
      .update(`playback\n${id}\n${grant.expiresAt.getTime() / 1000}`)
      .digest('base64url')
    expect(signature).not.toBe(withSecret)
    expect(() => new HmacPlaybackSigner(new Uint8Array(16))).toThrow(RangeError)
  })
})
