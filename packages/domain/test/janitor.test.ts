import { describe, expect, it } from 'vitest'
import { Janitor, retentionMs } from '../src/janitor.js'
import type { JobLock } from '../src/ports/job-lock.js'
import type { Recording } from '../src/recording.js'
import { MemoryJobLock } from '../src/testing/memory-job-lock.js'
import { bytes, makeService, uuid } from './service-fixture.js'

const MIN = 60_000
const DAY = 24 * 60 * MIN

function makeJanitor(options: { retentionDays?: number; lock?: JobLock } = {}) {
  const fx = makeService({ idleTimeoutMs: 5 * MIN, maxDurationMs: 60 * MIN })
  const janitor = new Janitor({
    service: fx.service,
    repo: fx.repo,
    blobs: fx.blobs,
    lock: options.lock ?? new MemoryJobLock(),
    clock: fx.clock,
    logger: { warn: (message) => fx.warnings.push(message) },
    retentionMs: retentionMs(options.retentionDays ?? null),
  })
  const report = async () => {
    const run = await janitor.run()
    if (run.outcome !== 'done') throw new Error('the janitor was skipped')
    return run.report
  }
  return { ...fx, janitor, report }
}

const alice = uuid(1)
const status = async (fx: ReturnType<typeof makeJanitor>, r: Recording) =>
  (await fx.repo.findById(r.id))?.status

describe('Janitor', () => {
  it('applies the idle timeout and the duration limit to recordings left by a crash', async () => {
    const fx = makeJanitor()
    const { recording: idle } = await fx.service.start({ userId: alice, sessionId: uuid(2) })
    await fx.service.append({ userId: alice, id: idle.id, offset: 0, body: bytes(10), progress: 'now' })
    const { recording: empty } = await fx.service.start({ userId: alice, sessionId: uuid(3) })
    fx.clock.advance(5 * MIN)
    expect((await fx.report()).expired).toBe(0)
    fx.clock.advance(1)
    expect((await fx.report()).expired).toBe(2)
    expect(await fx.repo.findById(idle.id)).toMatchObject({
      status: 'completed',
      stopReason: 'idle_timeout',
      sizeBytes: 10,
    })
    expect(await fx.repo.findById(empty.id)).toMatchObject({ status: 'failed', stopReason: 'idle_timeout' })

    const { recording: long } = await fx.service.start({ userId: alice, sessionId: uuid(4) })
    await fx.service.append({ userId: alice, id: long.id, offset: 0, body: bytes(3), progress: 'now' })
    // Kept active (a stream's keepalive) for the whole limit: only the duration can end it.
    for (let at = 0; at < 60; at += 4) {
      fx.clock.advance(4 * MIN)
      await fx.service.touch(alice, long.id)
    }
    fx.clock.advance(1)
    expect((await fx.report()).expired).toBe(1)
    expect(await fx.repo.findById(long.id)).toMatchObject({
      status: 'completed',
      stopReason: 'limit_duration',
    })
  })

  it('finishes a recording stuck in stopping after the grace, and fails one whose media is lost', async () => {
    const fx = makeJanitor()
    const stuck: Recording[] = []
    for (const n of [5, 6]) {
      const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(n) })
      await fx.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(7), progress: 'now' })
      // A crash between the stop and the finalize leaves exactly this row behind.
      const current = (await fx.repo.findById(recording.id)) as Recording
      const stopping = {
        ...current,
        status: 'stopping' as const,
        stopReason: 'client' as const,
        stoppedAt: fx.clock.now(),
      }
      await fx.repo.update(stopping, 'recording')
      stuck.push(stopping)
    }
    const [kept, lost] = stuck
    if (!kept || !lost) throw new Error('unreachable')
    await fx.blobs.delete(lost.id)
    fx.clock.advance(5 * MIN + 1)
    expect((await fx.report()).expired).toBe(2)
    expect(await fx.repo.findById(kept.id)).toMatchObject({
      status: 'completed',
      sizeBytes: 7,
      stopReason: 'client',
    })
    expect(await fx.repo.findById(lost.id)).toMatchObject({
      status: 'failed',
      failureReason: 'stored media was lost',
    })
  })

  it('leaves a recording that is stopping right now to the instance finishing it', async () => {
    const fx = makeJanitor()
    const { recording } = await fx.service.start({ userId: alice, sessionId: uuid(7) })
    fx.clock.advance(5 * MIN)
    const current = (await fx.repo.findById(recording.id)) as Recording
    await fx.repo.update({ ...current, status: 'stopping', stoppedAt: fx.clock.now() }, 'recording')
    expect((await fx.report()).expired).toBe(0)
    expect(await status(fx, recording)).toBe('stopping')
  })

  it('removes unfinished media of no recording or of a terminal one, never an active one or finished media', async () => {
    const fx = makeJanitor()
    const { recording: active } = await fx.service.start({ userId: alice, sessionId: uuid(8) })
    await fx.service.append({ userId: alice, id: active.id, offset: 0, body: bytes(4) })
    const { recording: done } = await fx.service.start({ userId: alice, sessionId: uuid(9) })
    await fx.service.append({ userId: alice, id: done.id, offset: 0, body: bytes(5) })
    await fx.service.stop(alice, done.id)
    const stray = uuid(99)
    await fx.blobs.append(stray, 0, bytes(3))
    expect((await fx.report()).orphansRemoved).toBe(1)
    expect(await fx.blobs.listUnfinished()).toEqual([active.id])
    expect(await fx.blobs.size(done.id)).toBe(5)
    expect((await fx.report()).orphansRemoved).toBe(0)
  })

  it('deletes completed recordings past RETENTION_DAYS, row and media; unset keeps them', async () => {
    for (const days of [30, null]) {
      const fx = makeJanitor(days === null ? {} : { retentionDays: days })
      const { recording: old } = await fx.service.start({ userId: alice, sessionId: uuid(10) })
      await fx.service.append({ userId: alice, id: old.id, offset: 0, body: bytes(6) })
      await fx.service.stop(alice, old.id)
      fx.clock.advance(30 * DAY)
      const { recording: young } = await fx.service.start({ userId: alice, sessionId: uuid(11) })
      await fx.service.stop(alice, young.id)
      expect((await fx.report()).retentionDeleted).toBe(0)
      fx.clock.advance(1)
      const deleted = (await fx.report()).retentionDeleted
      if (days === null) {
        expect(deleted).toBe(0)
        expect(await status(fx, old)).toBe('completed')
      } else {
        expect(deleted).toBe(1)
        expect(await fx.repo.findById(old.id)).toBeNull()
        expect(await fx.blobs.size(old.id)).toBe(0)
        expect(await status(fx, young)).toBe('completed')
      }
    }
  })

  it('purges expired idempotency claims', async () => {
    const fx = makeJanitor()
    await fx.service.start({ userId: alice, sessionId: uuid(12), idempotencyKey: 'k' })
    expect((await fx.report()).claimsPurged).toBe(0)
    fx.clock.advance(DAY + 1)
    expect((await fx.report()).claimsPurged).toBe(1)
  })

  it('skips a run while another holds the lock', async () => {
    const lock = new MemoryJobLock()
    const fx = makeJanitor({ lock })
    let release = (): void => {}
    const held = lock.tryRun('janitor', () => new Promise<void>((resolve) => (release = resolve)))
    expect(await fx.janitor.run()).toEqual({ outcome: 'skipped' })
    release()
    await held
    expect((await fx.janitor.run()).outcome).toBe('done')
  })
})
