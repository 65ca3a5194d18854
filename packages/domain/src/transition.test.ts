import { describe, expect, it } from 'vitest'
import type { Recording } from './recording.js'
import { makeRecording } from './testing/recording-repo-contract.js'
import { transition } from './transition.js'

const t0 = new Date('2026-01-01T00:00:00Z')
const base: Recording = makeRecording({ createdAt: t0 })

describe('transition', () => {
  it('stops with the duration from the service clock', () => {
    const later = new Date(t0.getTime() + 1500)
    const r = transition(base, { type: 'stop', reason: 'client' }, later)
    expect(r.ok && r.recording).toMatchObject({ status: 'stopping', durationMs: 1500, stoppedAt: later })
  })
  it('reopens a stopping recording whose media could not be finalized, and nothing else', () => {
    const stopped = transition(base, { type: 'stop', reason: 'client' }, t0)
    const later = new Date(t0.getTime() + 500)
    const r = stopped.ok ? transition(stopped.recording, { type: 'reopen' }, later) : stopped
    expect(r.ok && r.recording).toMatchObject({
      status: 'recording',
      stopReason: null,
      stoppedAt: null,
      durationMs: null,
      lastActivityAt: later,
    })
    expect(transition(base, { type: 'reopen' }, t0).ok).toBe(false)
    expect(transition({ ...base, status: 'completed' }, { type: 'reopen' }, t0).ok).toBe(false)
  })
  it('refuses completing a recording that was not stopped', () => {
    const r = transition(base, { type: 'complete', sizeBytes: 1, checksum: 'sha256:x' }, t0)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.code).toBe('INVALID_TRANSITION')
  })
  it('keeps terminal states terminal', () => {
    const failed = { ...base, status: 'failed' as const }
    for (const event of [
      { type: 'progress', sizeBytes: 1 },
      { type: 'stop', reason: 'client' },
      { type: 'fail', reason: 'x' },
    ] as const) {
      expect(transition(failed, event, t0).ok).toBe(false)
    }
  })
  it('throws on a shrinking size, a broken invariant', () => {
    expect(() => transition({ ...base, sizeBytes: 5 }, { type: 'progress', sizeBytes: 4 }, t0)).toThrow(
      RangeError,
    )
  })
})
