import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventBus, RecordingUpdated } from '../ports/event-bus.js'
import type { Recording } from '../recording.js'
import { platform } from './platform.js'
import { makeRecording } from './recording-repo-contract.js'

export interface EventBusFixture {
  /** Two instances on one transport; an in-process bus passes the same bus twice. */
  readonly a: EventBus
  readonly b: EventBus
  close(): Promise<void>
}

const updated = (recording: Recording): RecordingUpdated => ({ type: 'recording.updated', recording })

/** Collects events and waits for them: a networked bus delivers after `publish` resolves. */
class Inbox {
  readonly events: RecordingUpdated[] = []
  readonly listener = (event: RecordingUpdated): void => {
    this.events.push(event)
  }

  async count(n: number, timeoutMs = 5000): Promise<RecordingUpdated[]> {
    const deadline = Date.now() + timeoutMs
    while (this.events.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${this.events.length}`)
      await new Promise((resolve) => platform.setTimeout(resolve, 5))
    }
    return this.events
  }
}

/** The behaviour every EventBus must have; each adapter's tests call it. */
export function runEventBusContract(name: string, make: () => Promise<EventBusFixture>): void {
  describe(`EventBus contract: ${name}`, () => {
    let fx: EventBusFixture
    beforeEach(async () => {
      fx = await make()
    })
    afterEach(async () => {
      await fx.close()
    })

    it("delivers an owner's events, in order, to every subscriber on every instance", async () => {
      const r = makeRecording({ stoppedAt: new Date('2026-01-01T00:01:00Z') })
      const onA = new Inbox()
      const onB = new Inbox()
      await fx.a.subscribe(r.userId, onA.listener)
      await fx.b.subscribe(r.userId, onB.listener)
      await fx.b.publish(updated(r))
      await fx.b.publish(updated({ ...r, status: 'stopping' }))
      await fx.a.publish(updated({ ...r, status: 'completed' }))
      for (const inbox of [onA, onB]) {
        const events = await inbox.count(3)
        expect(events.map((e) => e.recording.status)).toEqual(['recording', 'stopping', 'completed'])
        expect(events[0]).toEqual(updated(r))
        expect(events[0]?.recording.stoppedAt).toBeInstanceOf(Date)
      }
    })

    it('keeps users apart', async () => {
      const mine = makeRecording()
      const theirs = makeRecording()
      const inbox = new Inbox()
      await fx.a.subscribe(mine.userId, inbox.listener)
      await fx.b.publish(updated(theirs))
      await fx.b.publish(updated(mine))
      // Delivered in publish order: had the other user's event been delivered, it would be first.
      expect((await inbox.count(1)).map((e) => e.recording.id)).toEqual([mine.id])
    })

    it('stops delivering once unsubscribed, and only to that listener', async () => {
      const r = makeRecording()
      const gone = new Inbox()
      const kept = new Inbox()
      const unsubscribe = await fx.a.subscribe(r.userId, gone.listener)
      await fx.a.subscribe(r.userId, kept.listener)
      await fx.b.publish(updated(r))
      await gone.count(1)
      await unsubscribe()
      await unsubscribe()
      await fx.b.publish(updated({ ...r, status: 'stopping' }))
      await kept.count(2)
      expect(gone.events).toHaveLength(1)
    })

    it('delivers to the other listeners when one throws', async () => {
      const r = makeRecording()
      const inbox = new Inbox()
      await fx.a.subscribe(r.userId, () => {
        throw new Error('broken listener')
      })
      await fx.a.subscribe(r.userId, inbox.listener)
      await fx.b.publish(updated(r))
      await fx.b.publish(updated(r))
      expect(await inbox.count(2)).toHaveLength(2)
    })

    it('resubscribes a user after the last listener left', async () => {
      const r = makeRecording()
      const first = new Inbox()
      await (await fx.a.subscribe(r.userId, first.listener))()
      const second = new Inbox()
      await fx.a.subscribe(r.userId, second.listener)
      await fx.b.publish(updated(r))
      expect(await second.count(1)).toHaveLength(1)
      expect(first.events).toHaveLength(0)
    })
  })
}
