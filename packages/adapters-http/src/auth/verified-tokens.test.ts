import { describe, expect, it } from 'vitest'
import { VerifiedTokens } from './verified-tokens.js'

describe('VerifiedTokens', () => {
  it('recognises a verified token until its exp or the ttl, whichever comes first', () => {
    const tokens = new VerifiedTokens({ ttlMs: 60_000 })
    tokens.remember('a', 'alice', 100, 90_000)
    expect(tokens.get('a', 99_999)).toBe('alice')
    expect(tokens.get('a', 100_000)).toBeNull()
    tokens.remember('b', 'bob', undefined, 0)
    expect(tokens.get('b', 59_999)).toBe('bob')
    expect(tokens.get('b', 60_000)).toBeNull()
  })

  it('does not remember an expired token, nor one it was not given', () => {
    const tokens = new VerifiedTokens()
    tokens.remember('a', 'alice', 10, 10_000)
    expect(tokens.get('a', 10_000)).toBeNull()
    expect(tokens.get('a.', 0)).toBeNull()
  })

  it('forgets the oldest past its size', () => {
    const tokens = new VerifiedTokens({ max: 2 })
    for (const t of ['a', 'b', 'c']) tokens.remember(t, t, undefined, 0)
    expect([tokens.get('a', 1), tokens.get('b', 1), tokens.get('c', 1)]).toEqual([null, 'b', 'c'])
  })
})
