import { describe, expect, it, vi } from 'vitest'
import { createClient, type RecordError, type RecordState } from '../src/index.js'
import { fakeFetch, json, RECORDING_ID, recording } from './support/fake-api.js'
import { type FakeSocket, fakeSockets } from './support/fake-socket.js'

const bytes = (...values: number[]) => new Uint8Array(values)

/** An async iterable the test feeds chunk by chunk, and ends. */
function feed() {
  const queue: Uint8Array[] = []
  let ended = false
  let wake: (() => void) | null = null
  let pulls = 0
  return {
    get pulls() {
      return pulls
    },
    push(chunk: Uint8Array) {
      queue.push(chunk)
      wake?.()
    },
    end() {
      ended = true
      wake?.()
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r))
        const next = queue.shift()
        if (!next) return
        pulls += 1
        yield next
      }
    },
  }
}

function setup(options: { getToken?: () => Promise<string>; random?: () => number } = {}) {
  const ws = fakeSockets()
  const api = fakeFetch((call) =>
    call.url.endsWith('/start') ? json(201, recording()) : json(200, recording({ status: 'completed' })),
  )
  const client = createClient({
    baseUrl: 'http://rec.test',
    ...(options.getToken ? { getToken: options.getToken } : { token: 'fixed' }),
    WebSocket: ws.WebSocket,
    fetch: api.fetch,
  })
  const backoff = { initialMs: 4, maxMs: 40, random: options.random ?? (() => 0.5) }
  return { ...ws, ...api, client, backoff }
}

async function nextSocket(sockets: FakeSocket[], count: number): Promise<FakeSocket> {
  await vi.waitFor(() => expect(sockets.length).toBe(count))
  return sockets[count - 1] as FakeSocket
}

describe('record(): reconnect rules against a scripted WebSocket', () => {
  it('resumes from ready: drops bytes below the ready offset, resends the rest, then stop completes', async () => {
    const { client, sockets, backoff } = setup()
    const source = feed()
    const session = client.record(source, { sessionId: recording().sessionId, backoff })
    const reconnects: { attempt: number; delayMs: number }[] = []
    session.on('reconnecting', (r) => reconnects.push(r))
    const first = await nextSocket(sockets, 1)
    expect(first.url).toBe(`ws://rec.test/api/v1/recordings/${RECORDING_ID}/stream?token=fixed`)
    first.ready(0)
    source.push(bytes(1, 2, 3))
    source.push(bytes(4, 5, 6))
    await vi.waitFor(() => expect(first.bytes).toEqual(bytes(1, 2, 3, 4, 5, 6)))
    first.server({ type: 'ack', offset: 2 })
    first.drop(1006)
    source.push(bytes(7, 8))
    const second = await nextSocket(sockets, 2)
    expect(reconnects).toEqual([{ attempt: 1, delayMs: 3 }])
    expect(session.state).toBe<RecordState>('reconnecting')
    second.ready(4) // the server stored more than it acked
    await vi.waitFor(() => expect(second.bytes).toEqual(bytes(5, 6, 7, 8)))
    const stopped = session.stop()
    expect(second.messages).toEqual([])
    source.end()
    await vi.waitFor(() => expect(second.messages).toEqual([{ type: 'stop' }]))
    second.server({ type: 'ack', offset: 8 })
    second.server({ type: 'completed', recording: recording({ status: 'completed', sizeBytes: 8 }) })
    second.drop(1000)
    expect((await stopped).sizeBytes).toBe(8)
    expect(session.state).toBe('completed')
    expect(sockets).toHaveLength(2)
  })

  it.each([1001, 1006, 1009, 1011, 1012, 1013, 4500])('reconnects after close %i', async (code) => {
    const { client, sockets, backoff } = setup()
    const session = client.record(feed(), { sessionId: recording().sessionId, backoff })
    ;(await nextSocket(sockets, 1)).drop(code)
    const second = await nextSocket(sockets, 2)
    second.ready(0)
    expect(session.state).toBe('recording')
  })

  it.each([
    [1000, 'CLOSED_1000'],
    [4400, 'BAD_MESSAGE'],
    [4401, 'UNAUTHORIZED'],
    [4404, 'RECORDING_NOT_FOUND'],
    [4409, 'INVALID_STATE'],
  ])('does not reconnect after close %i, and fails with its error', async (code, errorCode) => {
    const { client, sockets, backoff } = setup()
    const session = client.record(feed(), { sessionId: recording().sessionId, backoff })
    const errors: Error[] = []
    session.on('error', (e) => errors.push(e))
    const socket = await nextSocket(sockets, 1)
    if (code !== 1000) socket.server({ type: 'error', code: errorCode, message: 'refused' })
    socket.drop(code)
    const error = (await session.stop().catch((e: unknown) => e)) as RecordError
    expect(error).toMatchObject({ name: 'RecordError', code: errorCode, closeCode: code })
    expect(errors).toEqual([error])
    expect(session.state).toBe('failed')
    await new Promise((r) => setTimeout(r, 30)) // several backoff periods: still no second socket
    expect(sockets).toHaveLength(1)
  })

  it('ends without retry when taken over (4000)', async () => {
    const { client, sockets, backoff } = setup()
    const source = feed()
    const session = client.record(source, { sessionId: recording().sessionId, backoff })
    const socket = await nextSocket(sockets, 1)
    socket.ready(0)
    socket.drop(4000)
    await expect(session.stop()).rejects.toMatchObject({ code: 'TAKEN_OVER', closeCode: 4000 })
    await new Promise((r) => setTimeout(r, 30))
    expect(sockets).toHaveLength(1)
  })

  it('backs off exponentially with jitter while the server stays away, and resets after ready', async () => {
    let flip = 0
    const { client, sockets, backoff } = setup({ random: () => (flip++ % 2 === 0 ? 0 : 0.999) })
    const session = client.record(feed(), { sessionId: recording().sessionId, backoff })
    const delays: number[] = []
    session.on('reconnecting', ({ delayMs }) => delays.push(delayMs))
    for (let i = 1; i <= 6; i++) (await nextSocket(sockets, i)).drop(1006)
    // steps 4, 8, 16, 32, 40, 40 ms (capped); jitter keeps each in [step/2, step]
    expect(delays).toEqual([2, 8, 8, 32, 20, 40])
    const seventh = await nextSocket(sockets, 7)
    seventh.ready(0)
    seventh.drop(1006)
    await nextSocket(sockets, 8)
    expect(delays.at(-1)).toBe(2) // attempt 1 again: 4 ms step, random 0 → 2
  })

  it('awaits getToken before every reconnect (token refresh)', async () => {
    let n = 0
    const getToken = vi.fn(async () => `token-${++n}`)
    const { client, sockets, calls, backoff } = setup({ getToken })
    client.record(feed(), { sessionId: recording().sessionId, backoff })
    ;(await nextSocket(sockets, 1)).drop(1006)
    ;(await nextSocket(sockets, 2)).drop(1011)
    const third = await nextSocket(sockets, 3)
    expect(calls[0]?.headers.authorization).toBe('Bearer token-1')
    expect(sockets.map((s) => s.token)).toEqual(['token-2', 'token-3', 'token-4'])
    expect(third.token).toBe('token-4')
    expect(getToken).toHaveBeenCalledTimes(4)
  })

  it('a getToken that throws is retried with backoff, not fatal', async () => {
    let n = 0
    const getToken = async () => {
      n += 1
      if (n === 2) throw new Error('identity provider down')
      return `token-${n}`
    }
    const { client, sockets, backoff } = setup({ getToken })
    const session = client.record(feed(), { sessionId: recording().sessionId, backoff })
    const attempts: number[] = []
    session.on('reconnecting', ({ attempt }) => attempts.push(attempt))
    const socket = await nextSocket(sockets, 1)
    expect(socket.token).toBe('token-3')
    expect(attempts).toEqual([1])
  })

  it('after 1009 (frame too big) it reconnects and sends smaller frames', async () => {
    const { client, sockets, backoff } = setup()
    const source = feed()
    client.record(source, { sessionId: recording().sessionId, backoff, maxFrameBytes: 4096 })
    const first = await nextSocket(sockets, 1)
    first.ready(0)
    source.push(new Uint8Array(10_000))
    await vi.waitFor(() => expect(first.bytes.byteLength).toBe(10_000))
    expect(first.frames.map((f) => f.length)).toEqual([4096, 4096, 1808])
    first.drop(1009)
    const second = await nextSocket(sockets, 2)
    second.ready(0)
    expect(second.frames.map((f) => f.length)).toEqual([2048, 2048, 2048, 2048, 1808])
  })

  it('a completion the server decided (a limit) ends the session and stops reading the source', async () => {
    const { client, sockets, backoff } = setup()
    const source = feed()
    const session = client.record(source, { sessionId: recording().sessionId, backoff })
    const socket = await nextSocket(sockets, 1)
    socket.ready(0)
    source.push(new Uint8Array(3))
    await vi.waitFor(() => expect(source.pulls).toBe(1))
    socket.server({
      type: 'completed',
      recording: recording({ status: 'completed', stopReason: 'limit_size' }),
    })
    source.push(new Uint8Array(3))
    await expect(session.stop()).resolves.toMatchObject({ stopReason: 'limit_size' })
    source.push(new Uint8Array(3))
    await new Promise((r) => setTimeout(r, 20))
    expect(source.pulls).toBeLessThanOrEqual(2) // a read already pending may finish; none after it
    expect(socket.bytes.byteLength).toBe(3)
  })
})
