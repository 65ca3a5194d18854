import { describe, expect, it } from 'vitest'
import type { Recording } from '../src/recording.js'
import { bytes, countCalls, makeService, uuid } from './service-fixture.js'

const alice = uuid(1)

describe('throttled progress saves of streams that attach together', () => {
  it('are spread over the interval by id, and still at most one per interval per recording', async () => {
    // Random ids end anywhere; these four end a quarter of the id space apart.
    const tails = ['0000', '4000', '8000', 'c000']
    const { service, repo, clock } = makeService({}, () => `00000000-0000-4000-8000-00000000${tails.shift()}`)
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const { recording } = await service.start({ userId: alice, sessionId: uuid(100 + i) })
      ids.push(recording.id)
    }
    await Promise.all(ids.map((id) => service.attach(alice, id)))
    const saves: { id: string; at: number }[] = []
    countCalls(repo, 'update', (recording: Recording) =>
      saves.push({ id: recording.id, at: clock.now().getTime() }),
    )
    const started = clock.now().getTime()
    const offsets = new Map(ids.map((id) => [id, 0]))
    for (let tick = 0; tick < 30; tick++) {
      clock.advance(100)
      for (const id of ids) {
        const offset = offsets.get(id) ?? 0
        offsets.set(id, (await service.append({ userId: alice, id, offset, body: bytes(10) })).offset)
      }
    }
    const firstSaves = ids.map((id) => (saves.find((s) => s.id === id)?.at ?? 0) - started)
    expect(new Set(firstSaves).size).toBe(ids.length)
    for (const id of ids) {
      const times = saves.filter((s) => s.id === id).map((s) => s.at)
      expect(times.length).toBeGreaterThanOrEqual(2)
      for (let i = 1; i < times.length; i++)
        expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000)
    }
  })
})
