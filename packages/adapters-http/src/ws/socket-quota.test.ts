import { describe, expect, it } from 'vitest'
import { SocketQuota } from './socket-quota.js'

describe('SocketQuota', () => {
  it('hands out max sockets per user, counts users apart, and frees a slot once per release', () => {
    const quota = new SocketQuota(2)
    const a1 = quota.acquire('alice')
    const a2 = quota.acquire('alice')
    expect(a1).not.toBeNull()
    expect(a2).not.toBeNull()
    expect(quota.acquire('alice')).toBeNull()
    expect(quota.acquire('bob')).not.toBeNull()
    a1?.()
    a1?.()
    expect(quota.held('alice')).toBe(1)
    expect(quota.acquire('alice')).not.toBeNull()
    expect(quota.acquire('alice')).toBeNull()
  })

  it.each([0, -1, 1.5, Number.NaN])('refuses a cap of %d', (max) => {
    expect(() => new SocketQuota(max)).toThrow()
  })
})
