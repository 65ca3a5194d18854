import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readMatroskaHead } from '@rec/adapters-media'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { BACKENDS, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import {
  startWebhookReceiver,
  WEBHOOK_TEST_SECRET,
  type WebhookReceiver,
} from './support/webhook-receiver.js'

/** A 2 s WebM (VP8 + Opus) muxed live, as MediaRecorder writes it: no duration, no cues. */
function liveWebm(): Uint8Array {
  return execFileSync('/usr/bin/ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15:duration=2'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'],
    ...['-c:v', 'libvpx', '-b:v', '200k', '-c:a', 'libopus', '-f', 'webm', '-live', '1', 'pipe:1'],
  ])
}

describe.each(BACKENDS)('media facts after completion, on %s', (backend) => {
  const skip = unavailable(backend)
  let server: TestServer
  let receiver: WebhookReceiver
  beforeAll(async () => {
    if (skip !== null) return
    receiver = await startWebhookReceiver()
    server = await startTestServer(backend, {
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
    })
  }, 60_000)
  afterAll(async () => {
    await server?.dispose()
    await receiver?.close()
  })

  async function completeWith(bytes: Uint8Array) {
    const api = rest(server, await server.token(crypto.randomUUID()))
    const { id } = await api.start()
    const put = await api.call('PATCH', `/recordings/${id}/content`, {
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: bytes,
    })
    expect(put.status).toBe(204)
    expect((await api.stop(id)).status).toBe(200)
    return { api, id }
  }

  it.skipIf(skip !== null)('reads the stored container, and tells the receiver media_ready', async () => {
    const bytes = liveWebm()
    const { api, id } = await completeWith(bytes)
    await receiver.until((got) =>
      got.some((r) => r.type === 'recording.media_ready' && r.body.data.id === id),
    )
    const recording = await api.get(id)
    expect(recording.media).toMatchObject({
      container: 'webm',
      mimeType: expect.stringMatching(/^video\/webm/),
      tracks: [
        { kind: 'video', codec: 'vp8', width: 320, height: 240 },
        { kind: 'audio', codec: 'opus', sampleRate: 48000, channels: 1 },
      ],
    })
    expect((recording.media as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(1900)
    const ready = receiver.received.find((r) => r.type === 'recording.media_ready' && r.body.data.id === id)
    expect(ready?.body.data.media).toEqual(recording.media)
    // The original's bytes are untouched; the seekable copy has a duration and cues.
    expect(Buffer.from(await api.content(id)).equals(Buffer.from(bytes))).toBe(true)
    const seekable = await api.call('GET', `/recordings/${id}/content?variant=seekable`)
    expect(seekable.status).toBe(200)
    expect(seekable.headers.get('content-type')).toBe('video/webm')
    const copy = new Uint8Array(await seekable.arrayBuffer())
    expect(readMatroskaHead(bytes)).toEqual({ hasDuration: false, hasCues: false })
    expect(readMatroskaHead(copy)).toEqual({ hasDuration: true, hasCues: true })
    expect(Number(seekable.headers.get('content-length'))).toBe(copy.byteLength)
    const tail = await api.call('GET', `/recordings/${id}/content?variant=seekable`, {
      headers: { range: 'bytes=-100' },
    })
    expect(tail.status).toBe(206)
    expect(tail.headers.get('content-range')).toBe(
      `bytes ${copy.byteLength - 100}-${copy.byteLength - 1}/${copy.byteLength}`,
    )
    expect((await api.get(id)).checksum).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`)
  })

  it.skipIf(skip !== null)('gives bytes that are not media a media.error, once', async () => {
    const { api, id } = await completeWith(randomBytes(64 * 1024))
    await receiver.until((got) =>
      got.some((r) => r.type === 'recording.media_ready' && r.body.data.id === id),
    )
    expect((await api.get(id)).media).toEqual({ error: expect.any(String) })
    const none = await api.call('GET', `/recordings/${id}/content?variant=seekable`)
    expect(none.status).toBe(404)
    expect(await none.json()).toMatchObject({ code: 'RENDITION_NOT_FOUND', status: 404 })
    expect((await api.call('GET', `/recordings/${id}/content?variant=other`)).status).toBe(400)
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/jobs\{queue="recording-media",state="failed"\} 0/)
  })
})
