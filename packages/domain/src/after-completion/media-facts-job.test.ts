import { describe, expect, it } from 'vitest'
import { MemoryCache } from '../in-process/memory-cache.js'
import type { MediaFacts } from '../media-facts.js'
import { ManualClock, MemoryBlobStore, MemoryRecordingRepo, makeRecording } from '../testing/index.js'
import { MediaFactsJob } from './media-facts-job.js'

const digest = async (bytes: Uint8Array) => `sha256:${bytes.byteLength}`
const WEBM: MediaFacts = { container: 'webm', mimeType: 'video/webm', durationMs: 1000, tracks: [] }

async function setup(facts: MediaFacts, copy: Uint8Array | null) {
  const clock = new ManualClock()
  const repo = new MemoryRecordingRepo()
  const blobs = new MemoryBlobStore(digest)
  let n = 0
  const job = new MediaFactsJob({
    repo,
    blobs,
    cache: new MemoryCache(clock),
    probe: { probe: async () => facts },
    remuxer: {
      seekableCopy: async () =>
        copy &&
        (async function* () {
          yield copy
        })(),
    },
    clock,
    ids: { newId: () => `00000000-0000-4000-8000-0000000000${String(++n).padStart(2, '0')}` },
    afterCompletion: { media: true, webhooks: true },
  })
  const r = makeRecording({ status: 'completed', sizeBytes: 3, checksum: 'sha256:3' })
  await repo.create(r, null)
  await blobs.append(
    r.id,
    0,
    (async function* () {
      yield new Uint8Array([1, 2, 3])
    })(),
  )
  await blobs.finalize(r.id)
  return { repo, blobs, job, r }
}

describe('MediaFactsJob', () => {
  it('saves the facts and a seekable copy under a key of its own, with media_ready due', async () => {
    const { repo, blobs, job, r } = await setup(WEBM, new Uint8Array(5))
    await job.run(r.id)
    const saved = await repo.findById(r.id)
    expect(saved?.media).toEqual(WEBM)
    expect(saved?.seekable).toMatchObject({ sizeBytes: 5, checksum: expect.any(String) })
    expect(saved?.seekable?.key).not.toBe(r.id)
    expect(await blobs.size(saved?.seekable?.key ?? '')).toBe(5)
    expect(repo.due.map((t) => (t.kind === 'webhook' ? t.event.type : t.kind))).toEqual([
      'recording.media_ready',
    ])
  })

  it('saves media.error without a copy, and does nothing the second time', async () => {
    const { repo, job, r } = await setup({ error: 'not media' }, new Uint8Array(5))
    await job.run(r.id)
    await job.run(r.id)
    expect((await repo.findById(r.id))?.media).toEqual({ error: 'not media' })
    expect((await repo.findById(r.id))?.seekable).toBeNull()
    expect(repo.due).toHaveLength(1)
  })

  it('leaves a recording that is gone alone', async () => {
    const { repo, job, r } = await setup(WEBM, null)
    await repo.delete(r.id)
    await job.run(r.id)
    expect(repo.due).toEqual([])
  })
})
