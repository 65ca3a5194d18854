import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../src/index.js'
import { fakeFetch, json, recording } from './support/fake-api.js'
import { type FakeSocket, fakeSockets } from './support/fake-socket.js'

/** A MediaRecorder stand-in: the test calls `emit(bytes)` for each dataavailable. */
class FakeRecorder {
  static last: FakeRecorder | null = null
  static isTypeSupported = (type: string) => type.startsWith('video/webm')
  state = 'inactive'
  readonly mimeType: string
  ondataavailable: ((event: { data: Blob }) => void) | null = null
  onstop: (() => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  timeslice = 0
  constructor(_stream: unknown, options: { mimeType?: string } = {}) {
    this.mimeType = options.mimeType ?? ''
    FakeRecorder.last = this
  }
  start(timeslice: number) {
    this.timeslice = timeslice
    this.state = 'recording'
  }
  pause() {
    this.state = 'paused'
  }
  resume() {
    this.state = 'recording'
  }
  stop() {
    this.state = 'inactive'
    this.emit(new Uint8Array([9]))
    queueMicrotask(() => this.onstop?.())
  }
  emit(bytes: Uint8Array) {
    this.ondataavailable?.({ data: new Blob([bytes as Uint8Array<ArrayBuffer>]) })
  }
}

const stream = { getTracks: () => [{}, {}], getVideoTracks: () => [{}] }

function setup() {
  const ws = fakeSockets()
  const api = fakeFetch(() => json(201, recording()))
  const client = createClient({
    baseUrl: 'http://rec.test',
    token: 't',
    WebSocket: ws.WebSocket,
    fetch: api.fetch,
  })
  return { client, sockets: ws.sockets }
}

async function nextSocket(sockets: FakeSocket[], count: number): Promise<FakeSocket> {
  await vi.waitFor(() => expect(sockets.length).toBe(count))
  return sockets[count - 1] as FakeSocket
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('record(): the unacknowledged-bytes bound', () => {
  it('a MediaStream past maxBufferedBytes fails with BUFFER_FULL instead of growing', async () => {
    vi.stubGlobal('MediaRecorder', FakeRecorder)
    const { client, sockets } = setup()
    const session = client.record(stream, {
      sessionId: recording().sessionId,
      maxBufferedBytes: 10,
      timesliceMs: 100,
    })
    const socket = await nextSocket(sockets, 1)
    const recorder = FakeRecorder.last as FakeRecorder
    expect(recorder.timeslice).toBe(100)
    expect(recorder.mimeType).toBe('video/webm;codecs=vp8,opus')
    socket.ready(0)
    recorder.emit(new Uint8Array(6))
    recorder.emit(new Uint8Array(4)) // 10 bytes held: at the bound, still fine
    await vi.waitFor(() => expect(socket.bytes.byteLength).toBe(10))
    socket.server({ type: 'ack', offset: 6 }) // 4 held
    recorder.emit(new Uint8Array(6)) // 10 again
    await vi.waitFor(() => expect(socket.bytes.byteLength).toBe(16))
    expect(session.state).toBe('recording')
    recorder.emit(new Uint8Array(1)) // 11 > 10
    await expect(session.stop()).rejects.toMatchObject({ code: 'BUFFER_FULL' })
    expect(session.state).toBe('failed')
    expect(recorder.state).toBe('inactive')
    expect(socket.closedByClient).toBe(1000)
  })

  it('an iterable is read no further than the bound until acks free room', async () => {
    const { client, sockets } = setup()
    let pulls = 0
    async function* endless() {
      for (;;) {
        pulls += 1
        yield new Uint8Array(4)
      }
    }
    const session = client.record(endless(), { sessionId: recording().sessionId, maxBufferedBytes: 10 })
    const socket = await nextSocket(sockets, 1)
    await vi.waitFor(() => expect(pulls).toBe(3)) // 12 bytes: the last chunk crossed the bound
    await new Promise((r) => setTimeout(r, 20))
    expect(pulls).toBe(3)
    socket.ready(0)
    await vi.waitFor(() => expect(socket.bytes.byteLength).toBe(12))
    socket.server({ type: 'ack', offset: 8 })
    await vi.waitFor(() => expect(pulls).toBe(5))
    await new Promise((r) => setTimeout(r, 20))
    expect(pulls).toBe(5)
    expect(session.state).toBe('recording')
  })

  it('pause() stops reading an iterable and pauses a MediaRecorder; resume() continues', async () => {
    vi.stubGlobal('MediaRecorder', FakeRecorder)
    const { client, sockets } = setup()
    const session = client.record(stream, { sessionId: recording().sessionId })
    const states: string[] = []
    session.on('state', (s) => states.push(s))
    const socket = await nextSocket(sockets, 1)
    socket.ready(0)
    session.pause()
    expect(FakeRecorder.last?.state).toBe('paused')
    session.resume()
    expect(FakeRecorder.last?.state).toBe('recording')
    expect(states).toEqual(['recording', 'paused', 'recording'])
    const stopped = session.stop() // the recorder flushes its last chunk, then stop is sent
    await vi.waitFor(() => expect(socket.messages).toEqual([{ type: 'stop' }]))
    expect(socket.bytes).toEqual(new Uint8Array([9]))
    socket.server({ type: 'completed', recording: recording({ status: 'completed', sizeBytes: 1 }) })
    await expect(stopped).resolves.toMatchObject({ sizeBytes: 1 })
  })

  it('progress reports sent and acked bytes', async () => {
    const { client, sockets } = setup()
    async function* two() {
      yield new Uint8Array(3)
      yield new Uint8Array(2)
    }
    const session = client.record(two(), { sessionId: recording().sessionId })
    const progress: { sentBytes: number; ackedBytes: number }[] = []
    session.on('progress', (p) => progress.push(p))
    const socket = await nextSocket(sockets, 1)
    socket.ready(0)
    await vi.waitFor(() => expect(progress.at(-1)).toEqual({ sentBytes: 5, ackedBytes: 0 }))
    socket.server({ type: 'ack', offset: 5 })
    expect(progress.at(-1)).toEqual({ sentBytes: 5, ackedBytes: 5 })
  })

  it('a ready offset outside the held bytes fails the session (RESUME_MISMATCH)', async () => {
    const { client, sockets } = setup()
    const session = client.record((async function* () {})(), { sessionId: recording().sessionId })
    ;(await nextSocket(sockets, 1)).ready(7)
    await expect(session.stop()).rejects.toMatchObject({ code: 'RESUME_MISMATCH' })
  })

  it('a failed start rejects stop() with the ProblemError', async () => {
    const ws = fakeSockets()
    const api = fakeFetch(() =>
      json(409, { code: 'RECORDING_ALREADY_ACTIVE', detail: 'busy', requestId: 'r1', status: 409 }),
    )
    const client = createClient({
      baseUrl: 'http://rec.test',
      token: 't',
      WebSocket: ws.WebSocket,
      fetch: api.fetch,
    })
    const session = client.record((async function* () {})(), { sessionId: recording().sessionId })
    await expect(session.stop()).rejects.toMatchObject({
      name: 'ProblemError',
      status: 409,
      code: 'RECORDING_ALREADY_ACTIVE',
      requestId: 'r1',
    })
    expect(ws.sockets).toHaveLength(0)
  })
})
