import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MediabunnyMediaProbe } from '../src/index.js'
import { fileSource, makeLiveWebm, makeSample } from './make-media.js'

describe('MediabunnyMediaProbe', () => {
  let dir = ''
  const probe = new MediabunnyMediaProbe()
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-media-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads a WebM with VP8 and Opus', async () => {
    const media = await probe.probe(await fileSource(makeSample(dir, 'vp8-opus.webm')))
    expect(media).toMatchObject({
      container: 'webm',
      mimeType: expect.stringMatching(/^video\/webm/),
      tracks: [
        { kind: 'video', codec: 'vp8', width: 320, height: 240 },
        { kind: 'audio', codec: 'opus', sampleRate: 48000, channels: 1 },
      ],
    })
    expect('durationMs' in media && media.durationMs).toBeGreaterThanOrEqual(1900)
    expect('durationMs' in media && media.durationMs).toBeLessThanOrEqual(2100)
  })

  it('reads an MP4 with H.264 and AAC', async () => {
    const media = await probe.probe(await fileSource(makeSample(dir, 'h264-aac.mp4')))
    expect(media).toMatchObject({
      container: 'mp4',
      mimeType: expect.stringMatching(/^video\/mp4/),
      tracks: expect.arrayContaining([
        { kind: 'video', codec: 'avc', width: 320, height: 240 },
        { kind: 'audio', codec: 'aac', sampleRate: 48000, channels: 1 },
      ]),
    })
  })

  it('reads an Ogg with Opus', async () => {
    const media = await probe.probe(await fileSource(makeSample(dir, 'opus.ogg')))
    expect(media).toMatchObject({
      container: 'ogg',
      mimeType: expect.stringMatching(/^audio\/ogg/),
      tracks: [{ kind: 'audio', codec: 'opus', channels: 1 }],
    })
  })

  it('reads a WAV', async () => {
    const media = await probe.probe(await fileSource(makeSample(dir, 'pcm.wav')))
    expect(media).toMatchObject({
      container: 'wav',
      durationMs: 2000,
      tracks: [{ kind: 'audio', codec: 'pcm-s16', sampleRate: 48000, channels: 2 }],
    })
  })

  it('reads the real duration of a live WebM, which states none', async () => {
    const media = await probe.probe(await fileSource(makeLiveWebm(dir)))
    expect(media).toMatchObject({ container: 'webm', tracks: [{ codec: 'vp8' }, { codec: 'opus' }] })
    expect('durationMs' in media && media.durationMs).toBeGreaterThanOrEqual(2900)
  })

  it('answers media.error for bytes that are not media, and for none', async () => {
    const path = join(dir, 'random.bin')
    await writeFile(path, randomBytes(256 * 1024))
    expect(await probe.probe(await fileSource(path))).toEqual({ error: expect.any(String) })
    expect(await probe.probe({ sizeBytes: 0, read: () => Promise.reject(new Error('no')) })).toEqual({
      error: 'no bytes were stored',
    })
  })

  it('rejects when the store fails to read, so the job is retried', async () => {
    const source = await fileSource(makeSample(dir, 'opus.ogg'))
    await expect(
      probe.probe({ sizeBytes: source.sizeBytes, read: () => Promise.reject(new Error('disk gone')) }),
    ).rejects.toThrow('disk gone')
  })
})
