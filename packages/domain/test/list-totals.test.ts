import { describe, expect, it } from 'vitest'
import { bytes, countCalls, makeService, uuid } from './service-fixture.js'

const alice = uuid(1)
const bob = uuid(2)
const all = { userId: alice, status: null, sessionId: null, page: 1, limit: 10 }
const completed = { ...all, status: 'completed' as const }

describe('list totals', () => {
  it('are counted once, then kept until a recording of the user is created, changes status or is deleted', async () => {
    const { service, repo, clock } = makeService()
    const counts = countCalls(repo, 'list')
    const first = (await service.start({ userId: alice, sessionId: uuid(10) })).recording
    await service.start({ userId: bob, sessionId: uuid(11) })
    expect((await service.list(all)).total).toBe(1)
    expect(counts()).toBe(1)

    // Progress does not change a total: still cached.
    await service.attach(alice, first.id)
    clock.advance(2000)
    await service.append({ userId: alice, id: first.id, offset: 0, body: bytes(10) })
    const page = await service.list(all)
    expect(page.total).toBe(1)
    expect(page.items[0]?.sizeBytes).toBe(10)
    expect(counts()).toBe(1)

    // Another user's writes do not touch alice's totals.
    await service.start({ userId: bob, sessionId: uuid(12) })
    expect((await service.list(all)).total).toBe(1)
    expect(counts()).toBe(1)

    const second = (await service.start({ userId: alice, sessionId: uuid(13) })).recording
    expect((await service.list(all)).total).toBe(2)
    expect((await service.list(completed)).total).toBe(0)
    expect(counts()).toBe(3)
    await service.stop(alice, first.id)
    expect((await service.list(completed)).total).toBe(1)
    await service.delete(alice, second.id)
    expect((await service.list(all)).total).toBe(1)
    expect(counts()).toBe(5)
  })

  it('counts every time while the totals cache fails, and the list still answers', async () => {
    const { service, repo, totals, warnings } = makeService()
    const counts = countCalls(repo, 'list')
    await service.start({ userId: alice, sessionId: uuid(10) })
    totals.get = async () => {
      throw new Error('cache down')
    }
    expect((await service.list(all)).total).toBe(1)
    expect((await service.list(all)).total).toBe(1)
    expect(counts()).toBe(2)
    expect(warnings).toContain('totals get failed')
  })
})
