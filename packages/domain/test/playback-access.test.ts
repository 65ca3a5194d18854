import { describe, expect, it } from 'vitest'
import {
  RangeNotSatisfiableError,
  RecordingNotCompletedError,
  RecordingNotFoundError,
} from '../src/errors.js'
import { PlaybackAccess } from '../src/playback-access.js'
import { PlaybackUrlExpiredError, PlaybackUrlInvalidError } from '../src/playback-errors.js'
import { MemoryPlaybackSigner } from '../src/testing/memory-playback-signer.js'
import { bytes, countCalls, makeService, uuid } from './service-fixture.js'

const alice = uuid(1)
const bob = uuid(2)

const signer = new MemoryPlaybackSigner()

async function fixture(ttlMs = 60_000) {
  const f = makeService()
  const playback = new PlaybackAccess({ ...f, signer, ttlMs })
  const { recording } = await f.service.start({ userId: alice, sessionId: uuid(3) })
  await f.service.append({ userId: alice, id: recording.id, offset: 0, body: bytes(10, 20) })
  const done = await f.service.stop(alice, recording.id)
  return { ...f, playback, done }
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0
  for await (const chunk of body) n += chunk.byteLength
  return n
}

describe('PlaybackAccess', () => {
  it('issues a grant to the owner of a completed recording, expiring after the TTL (whole seconds)', async () => {
    const { playback, done, clock } = await fixture(60_500)
    const { grant, signature } = await playback.issue(alice, done.id)
    expect(grant).toEqual({ recordingId: done.id, expiresAt: new Date(clock.now().getTime() + 60_000) })
    expect(signer.verify(grant, signature)).toBe(true)
    const opened = await playback.open(grant, signature)
    expect(opened.id).toBe(done.id)
    expect(await collect(await playback.read(opened, null))).toBe(30)
    expect(
      await collect(await playback.read(opened, playback.range(opened, { kind: 'suffix', length: 5 }))),
    ).toBe(5)
    expect(() => playback.range(opened, { kind: 'from', start: 30, end: null })).toThrow(
      RangeNotSatisfiableError,
    )
  })

  it('serves the seekable rendition once it exists (SPEC §13), the original before', async () => {
    const { playback, done, blobs } = await fixture()
    const { grant, signature } = await playback.issue(alice, done.id)
    const original = await playback.open(grant, signature)
    expect(playback.served(original)).toEqual({ key: done.id, sizeBytes: 30, checksum: done.checksum })
    const key = uuid(9)
    await blobs.append(key, 0, bytes(7))
    const rendition = { key, ...(await blobs.finalize(key)) }
    const seekable = { ...original, seekable: rendition }
    expect(playback.served(seekable)).toEqual(rendition)
    expect(await collect(await playback.read(seekable, null))).toBe(7)
    expect(() => playback.range(seekable, { kind: 'from', start: 7, end: null })).toThrow(
      RangeNotSatisfiableError,
    )
  })

  it('refuses another user (not found) and a recording that is not completed (409)', async () => {
    const { playback, done, service } = await fixture()
    await expect(playback.issue(bob, done.id)).rejects.toBeInstanceOf(RecordingNotFoundError)
    const { recording } = await service.start({ userId: alice, sessionId: uuid(4) })
    await expect(playback.issue(alice, recording.id)).rejects.toBeInstanceOf(RecordingNotCompletedError)
  })

  it('refuses a tampered grant before any read, and an expired one after its expiry', async () => {
    const { playback, done, clock, repo } = await fixture(10_000)
    const reads = countCalls(repo, 'findById')
    const { grant, signature } = await playback.issue(alice, done.id)
    const before = reads()
    const later = { ...grant, expiresAt: new Date(grant.expiresAt.getTime() + 3_600_000) }
    await expect(playback.open(later, signature)).rejects.toBeInstanceOf(PlaybackUrlInvalidError)
    await expect(playback.open({ ...grant, recordingId: uuid(9) }, signature)).rejects.toBeInstanceOf(
      PlaybackUrlInvalidError,
    )
    await expect(playback.open(grant, `${signature}x`)).rejects.toBeInstanceOf(PlaybackUrlInvalidError)
    expect(reads()).toBe(before)
    clock.advance(9_999)
    await expect(playback.open(grant, signature)).resolves.toMatchObject({ id: done.id })
    clock.advance(1)
    await expect(playback.open(grant, signature)).rejects.toBeInstanceOf(PlaybackUrlExpiredError)
  })

  it('stops opening once the recording is deleted', async () => {
    const { playback, done, service } = await fixture()
    const { grant, signature } = await playback.issue(alice, done.id)
    await service.delete(alice, done.id)
    await expect(playback.open(grant, signature)).rejects.toBeInstanceOf(RecordingNotFoundError)
  })
})
