import { describe, expect, it } from 'vitest'
import { RecordingNotFoundError } from '../src/errors.js'
import { bytes, makeService, uuid } from './service-fixture.js'

const alice = uuid(1)

describe('the use cases parse a recording id once, at their edge', () => {
  it('reach the same recording by its id in upper case, one lock and one attached row per recording', async () => {
    const { service } = makeService()
    const { recording } = await service.start({ userId: alice, sessionId: uuid(2) })
    const upper = recording.id.toUpperCase()
    expect((await service.attach(alice, upper)).offset).toBe(0)
    const first = service.append({ userId: alice, id: upper, offset: 0, body: bytes(10) })
    const second = service.append({ userId: alice, id: recording.id, offset: 10, body: bytes(5) })
    expect((await Promise.all([first, second])).map((r) => r.offset)).toEqual([10, 15])
    expect(await service.stop(alice, upper)).toMatchObject({
      id: recording.id,
      status: 'completed',
      sizeBytes: 15,
    })
  })

  it.each(['not-a-uuid', '', `${uuid(3)}/../x`])(
    'answers %j with RecordingNotFoundError, touching no store',
    async (id) => {
      const { service } = makeService()
      await expect(service.get(alice, id)).rejects.toBeInstanceOf(RecordingNotFoundError)
      await expect(service.stop(alice, id)).rejects.toBeInstanceOf(RecordingNotFoundError)
      await expect(service.append({ userId: alice, id, offset: 0, body: bytes(1) })).rejects.toBeInstanceOf(
        RecordingNotFoundError,
      )
    },
  )
})
