import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../src/errors.js'
import { isTerminal, type Recording, type RecordingStatus } from '../src/recording.js'
import { bytes, makeService, uuid } from './service-fixture.js'

type Command =
  | { kind: 'start'; session: number; key: number | null }
  | { kind: 'append'; target: number; size: number; skew: number }
  | { kind: 'stop'; target: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'expire' }
  | { kind: 'delete'; target: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('start' as const), session: fc.nat(3), key: fc.option(fc.nat(3)) }),
  fc.record({
    kind: fc.constant('append' as const),
    target: fc.nat(7),
    size: fc.integer({ min: 0, max: 400 }),
    skew: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 3 })),
  }),
  fc.record({ kind: fc.constant('stop' as const), target: fc.nat(7) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 120_000 }) }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('delete' as const), target: fc.nat(7) }),
)

const LEGAL: Record<RecordingStatus, readonly RecordingStatus[]> = {
  recording: ['recording', 'stopping', 'completed', 'failed'],
  stopping: ['stopping', 'completed', 'failed'],
  completed: ['completed'],
  failed: ['failed'],
}

function checkShape(r: Recording): void {
  if (r.status === 'completed') {
    expect(r.checksum).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(r.stopReason).not.toBeNull()
    expect(r.durationMs).not.toBeNull()
  }
  if (r.status === 'failed') expect(r.failureReason).toBeTruthy()
  if (r.status === 'recording') expect(r.stoppedAt).toBeNull()
  expect(r.sizeBytes).toBeLessThanOrEqual(1000)
}

describe('RecordingService under random command sequences', () => {
  it('never reaches an illegal state; terminal stays terminal; sizes only grow', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 40 }), async (commands) => {
        const { service, clock, repo, blobs } = makeService({
          maxBytes: 1000,
          idleTimeoutMs: 60_000,
          maxDurationMs: 300_000,
        })
        const user = uuid(1)
        const ids: string[] = []
        const seen = new Map<string, Recording>()
        for (const c of commands) {
          try {
            if (c.kind === 'start') {
              const key = c.key === null ? undefined : `k${c.key}`
              const { recording } = await service.start({
                userId: user,
                sessionId: uuid(100 + c.session),
                idempotencyKey: key,
              })
              if (!ids.includes(recording.id)) ids.push(recording.id)
            } else if (c.kind === 'advance') clock.advance(c.ms)
            else if (c.kind === 'expire') await service.expire()
            else {
              const id = ids[c.target % Math.max(1, ids.length)]
              if (id === undefined) continue
              if (c.kind === 'append') {
                const offset = Math.max(0, (await blobs.size(id)) + c.skew)
                const { offset: acked } = await service.append({
                  userId: user,
                  id,
                  offset,
                  body: bytes(c.size),
                })
                expect(acked).toBeLessThanOrEqual(1000)
              } else if (c.kind === 'stop') await service.stop(user, id)
              else {
                await service.delete(user, id)
                seen.delete(id)
                ids.splice(ids.indexOf(id), 1)
              }
            }
          } catch (error) {
            // Expected rejections are domain errors; anything else is a bug.
            if (!(error instanceof DomainError)) throw error
          }
          for (const id of ids) {
            const now = await repo.findById(id)
            if (!now) continue
            checkShape(now)
            const before = seen.get(id)
            if (before) {
              expect(LEGAL[before.status]).toContain(now.status)
              expect(now.sizeBytes).toBeGreaterThanOrEqual(before.sizeBytes)
              if (isTerminal(before.status)) expect(now).toEqual(before)
            }
            seen.set(id, now)
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
