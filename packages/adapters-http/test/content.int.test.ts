import { describe, expect, it } from 'vitest'
import {
  ALICE,
  BOB,
  bytes,
  jsonInit,
  makeHarness,
  problemJson,
  SESSION,
  sha256Hex,
  UPLOAD,
} from './harness.js'

const BASE = 'http://localhost/api/v1/recordings'
type H = ReturnType<typeof makeHarness>

async function started(h: H, config?: unknown): Promise<string> {
  const body = config ? { sessionId: SESSION, config } : { sessionId: SESSION }
  const res = await h.app.request(`${BASE}/start`, jsonInit('POST', body, await h.auth()))
  return ((await res.json()) as { id: string }).id
}

async function patch(
  h: H,
  id: string,
  offset: number | string,
  body: Uint8Array,
  type = UPLOAD,
  sub = ALICE,
) {
  return h.app.request(`${BASE}/${id}/content`, {
    method: 'PATCH',
    body,
    headers: { ...(await h.auth(sub)), 'Content-Type': type, 'Upload-Offset': String(offset) },
  })
}

/** A completed recording holding `media`. */
async function completed(h: H, media: Uint8Array, config?: unknown): Promise<string> {
  const id = await started(h, config)
  expect((await patch(h, id, 0, media)).status).toBe(204)
  expect(
    (await h.app.request(`${BASE}/${id}/stop`, { method: 'POST', headers: await h.auth() })).status,
  ).toBe(200)
  return id
}

describe('PATCH /recordings/:id/content (tus core)', () => {
  it('appends chunks at the stored offset: 204 with the new Upload-Offset', async () => {
    const h = makeHarness()
    const id = await started(h)
    const first = await patch(h, id, 0, bytes(100))
    expect(first.status).toBe(204)
    expect(first.headers.get('Upload-Offset')).toBe('100')
    const second = await patch(h, id, 100, bytes(50))
    expect(second.headers.get('Upload-Offset')).toBe('150')
  })

  it('refuses a wrong offset: 409 OFFSET_MISMATCH carrying the current Upload-Offset', async () => {
    const h = makeHarness()
    const id = await started(h)
    await patch(h, id, 0, bytes(100))
    const res = await patch(h, id, 40, bytes(10))
    expect(res.status).toBe(409)
    expect(res.headers.get('Upload-Offset')).toBe('100')
    expect(await problemJson(res)).toMatchObject({ code: 'OFFSET_MISMATCH', status: 409 })
    expect(await h.blobs.size(id)).toBe(100)
  })

  it('refuses another Content-Type with 415', async () => {
    const h = makeHarness()
    const id = await started(h)
    for (const type of ['application/octet-stream', 'application/json', 'video/webm']) {
      const res = await patch(h, id, 0, bytes(10), type)
      expect(res.status).toBe(415)
      expect((await problemJson(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it.each(['', '-1', 'abc', '1.5', '1e3', '+12', '0x10', '1 2'])(
    'refuses Upload-Offset %j with 400',
    async (offset) => {
      const h = makeHarness()
      const id = await started(h)
      const res = await patch(h, id, offset, bytes(10))
      expect(res.status).toBe(400)
      expect((await problemJson(res)).errors?.[0]?.path).toBe('headers.upload-offset')
    },
  )

  it('refuses a missing Upload-Offset with 400', async () => {
    const h = makeHarness()
    const id = await started(h)
    const res = await h.app.request(`${BASE}/${id}/content`, {
      method: 'PATCH',
      body: bytes(10),
      headers: { ...(await h.auth()), 'Content-Type': UPLOAD },
    })
    expect(res.status).toBe(400)
  })

  it('is not bound by the 64 KiB JSON limit', async () => {
    const h = makeHarness()
    const id = await started(h)
    const res = await patch(h, id, 0, bytes(300 * 1024))
    expect(res.status).toBe(204)
    expect(res.headers.get('Upload-Offset')).toBe(String(300 * 1024))
  })

  it('streams the body into storage as it arrives, never buffering it whole', async () => {
    const h = makeHarness()
    const id = await started(h)
    let release = (): void => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 1) await gate
        if (sent === 2) return controller.close()
        controller.enqueue(bytes(1000, sent))
        sent++
      },
    })
    const pending = h.app.request(`${BASE}/${id}/content`, {
      method: 'PATCH',
      body,
      duplex: 'half',
      headers: { ...(await h.auth()), 'Content-Type': UPLOAD, 'Upload-Offset': '0' },
    } as RequestInit)
    await expect.poll(() => h.blobs.size(id)).toBe(1000)
    release()
    const res = await pending
    expect(res.status).toBe(204)
    expect(res.headers.get('Upload-Offset')).toBe('2000')
  })

  it('completes the recording at the size limit: still 204 with the final offset, excess dropped', async () => {
    const h = makeHarness({ limits: { maxBytes: 1000 } })
    const id = await started(h)
    const res = await patch(h, id, 0, bytes(1500))
    expect(res.status).toBe(204)
    expect(res.headers.get('Upload-Offset')).toBe('1000')
    expect(await h.service.get(ALICE, id)).toMatchObject({ status: 'completed', stopReason: 'limit_size' })
    const after = await patch(h, id, 1000, bytes(10))
    expect(after.status).toBe(409)
    expect((await problemJson(after)).code).toBe('RECORDING_NOT_RECORDING')
  })

  it("answers another user's recording with 404 and stores nothing", async () => {
    const h = makeHarness()
    const id = await started(h)
    const res = await patch(h, id, 0, bytes(10), UPLOAD, BOB)
    expect(res.status).toBe(404)
    expect(await h.blobs.size(id)).toBe(0)
  })

  it('answers a non-UUID id with 400', async () => {
    const h = makeHarness()
    expect((await patch(h, 'nope', 0, bytes(10))).status).toBe(400)
  })
})

describe('HEAD /recordings/:id/content', () => {
  it('while recording: 200 with the stored Upload-Offset and Cache-Control: no-store', async () => {
    const h = makeHarness()
    const id = await started(h)
    await patch(h, id, 0, bytes(123))
    const res = await h.app.request(`${BASE}/${id}/content`, { method: 'HEAD', headers: await h.auth() })
    expect(res.status).toBe(200)
    expect(res.headers.get('Upload-Offset')).toBe('123')
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(await res.text()).toBe('')
  })

  it('when completed: the headers of GET without a body', async () => {
    const h = makeHarness()
    const media = bytes(2000)
    const id = await completed(h, media, { format: 'mp4' })
    const res = await h.app.request(`${BASE}/${id}/content`, { method: 'HEAD', headers: await h.auth() })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('video/mp4')
    expect(res.headers.get('Content-Length')).toBe('2000')
    expect(res.headers.get('ETag')).toBe(`"${await sha256Hex(media)}"`)
    expect(res.headers.get('Accept-Ranges')).toBe('bytes')
    expect(res.headers.get('Upload-Offset')).toBeNull()
    expect(await res.text()).toBe('')
  })
})

describe('GET /recordings/:id/content', () => {
  it('answers an unfinished recording with 409 RECORDING_NOT_COMPLETED', async () => {
    const h = makeHarness()
    const id = await started(h)
    await patch(h, id, 0, bytes(10))
    const res = await h.app.request(`${BASE}/${id}/content`, { headers: await h.auth() })
    expect(res.status).toBe(409)
    expect((await problemJson(res)).code).toBe('RECORDING_NOT_COMPLETED')
  })

  it('streams the whole media with Content-Type, Content-Length, ETag and Accept-Ranges', async () => {
    const h = makeHarness()
    const media = bytes(5000)
    const id = await completed(h, media, { format: 'ogg' })
    const res = await h.app.request(`${BASE}/${id}/content`, { headers: await h.auth() })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('audio/ogg')
    expect(res.headers.get('Content-Length')).toBe('5000')
    expect(res.headers.get('Accept-Ranges')).toBe('bytes')
    const body = new Uint8Array(await res.arrayBuffer())
    expect(body).toEqual(media)
    const recording = await h.service.get(ALICE, id)
    expect(recording.checksum).toBe(`sha256:${await sha256Hex(body)}`)
    expect(res.headers.get('ETag')).toBe(`"${await sha256Hex(body)}"`)
  })

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=4990-', 4990, 4999],
    ['bytes=-5', 4995, 4999],
    ['bytes=100-99999', 100, 4999],
    ['bytes=-99999', 0, 4999],
  ])('serves Range %s as 206 with Content-Range', async (range, start, end) => {
    const h = makeHarness()
    const media = bytes(5000)
    const id = await completed(h, media)
    const res = await h.app.request(`${BASE}/${id}/content`, {
      headers: { ...(await h.auth()), Range: range },
    })
    expect(res.status).toBe(206)
    expect(res.headers.get('Content-Range')).toBe(`bytes ${start}-${end}/5000`)
    expect(res.headers.get('Content-Length')).toBe(String(end - start + 1))
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(media.subarray(start, end + 1))
  })

  it.each(['bytes=5000-', 'bytes=6000-7000', 'bytes=-0', 'bytes=10-5'])(
    'answers the unsatisfiable Range %s with 416 and Content-Range: bytes */size',
    async (range) => {
      const h = makeHarness()
      const id = await completed(h, bytes(5000))
      const res = await h.app.request(`${BASE}/${id}/content`, {
        headers: { ...(await h.auth()), Range: range },
      })
      expect(res.status).toBe(416)
      expect(res.headers.get('Content-Range')).toBe('bytes */5000')
      expect((await problemJson(res)).code).toBe('RANGE_NOT_SATISFIABLE')
    },
  )

  it.each(['bytes=0-1,5-6', 'items=0-5', 'bytes=abc'])(
    'ignores Range %s and sends the whole media',
    async (range) => {
      const h = makeHarness()
      const id = await completed(h, bytes(5000))
      const res = await h.app.request(`${BASE}/${id}/content`, {
        headers: { ...(await h.auth()), Range: range },
      })
      expect(res.status).toBe(200)
      expect((await res.arrayBuffer()).byteLength).toBe(5000)
    },
  )

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const h = makeHarness()
    const id = await completed(h, bytes(100))
    const first = await h.app.request(`${BASE}/${id}/content`, { headers: await h.auth() })
    const etag = first.headers.get('ETag') ?? ''
    const res = await h.app.request(`${BASE}/${id}/content`, {
      headers: { ...(await h.auth()), 'If-None-Match': etag },
    })
    expect(res.status).toBe(304)
    expect(res.headers.get('ETag')).toBe(etag)
    expect(await res.text()).toBe('')
    const other = await h.app.request(`${BASE}/${id}/content`, {
      headers: { ...(await h.auth()), 'If-None-Match': '"other"' },
    })
    expect(other.status).toBe(200)
  })

  it('ignores Range when If-Range names a stale ETag', async () => {
    const h = makeHarness()
    const id = await completed(h, bytes(100))
    const res = await h.app.request(`${BASE}/${id}/content`, {
      headers: { ...(await h.auth()), Range: 'bytes=0-9', 'If-Range': '"stale"' },
    })
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(100)
  })
})
