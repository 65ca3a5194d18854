import { describe, expect, it, vi } from 'vitest'
import { createClient, ProblemError, type Recording } from '../src/index.js'
import { fakeFetch, json, RECORDING_ID, recording } from './support/fake-api.js'
import { type FakeSocket, fakeSockets } from './support/fake-socket.js'

async function nextSocket(sockets: FakeSocket[], count: number): Promise<FakeSocket> {
  await vi.waitFor(() => expect(sockets.length).toBe(count))
  return sockets[count - 1] as FakeSocket
}

describe('events()', () => {
  it('delivers updates, reconnects after a drop (new token each time), stops on 44xx', async () => {
    const ws = fakeSockets()
    let n = 0
    const client = createClient({
      baseUrl: 'http://rec.test/',
      getToken: () => `t${++n}`,
      WebSocket: ws.WebSocket,
    })
    const updates: Recording[] = []
    const ready = vi.fn()
    const onClose = vi.fn()
    const reconnecting = vi.fn()
    client.events({
      onUpdate: (r) => updates.push(r),
      onReady: ready,
      onClose,
      onReconnecting: reconnecting,
      backoff: { initialMs: 2 },
    })
    const first = await nextSocket(ws.sockets, 1)
    expect(first.url).toBe('ws://rec.test/api/v1/events?token=t1')
    first.server({ type: 'ready' })
    first.server({ type: 'recording.updated', recording: recording({ sizeBytes: 5 }) })
    first.drop(1006)
    const second = await nextSocket(ws.sockets, 2)
    expect(second.token).toBe('t2')
    second.server({ type: 'ready' })
    second.server({ type: 'recording.updated', recording: recording({ status: 'completed' }) })
    second.drop(4401)
    await new Promise((r) => setTimeout(r, 20))
    expect(ws.sockets).toHaveLength(2)
    expect(updates.map((u) => u.status)).toEqual(['recording', 'completed'])
    expect(ready).toHaveBeenCalledTimes(2)
    expect(reconnecting).toHaveBeenCalledTimes(1)
    expect(onClose).toHaveBeenCalledWith({ code: 4401, reason: '' })
  })

  it('close() ends the subscription without reconnecting', async () => {
    const ws = fakeSockets()
    const client = createClient({ baseUrl: 'http://rec.test', token: 't', WebSocket: ws.WebSocket })
    const subscription = client.events({ onUpdate: () => {}, backoff: { initialMs: 2 } })
    const socket = await nextSocket(ws.sockets, 1)
    subscription.close()
    expect(socket.closedByClient).toBe(1000)
    socket.drop(1006)
    await new Promise((r) => setTimeout(r, 20))
    expect(ws.sockets).toHaveLength(1)
  })

  it('says how to pass a WebSocket when the runtime has none', async () => {
    const api = fakeFetch(() => json(201, recording()))
    const client = createClient({ baseUrl: 'http://rec.test', token: 't', fetch: api.fetch })
    vi.stubGlobal('WebSocket', undefined)
    try {
      const session = client.record((async function* () {})(), { sessionId: recording().sessionId })
      await expect(session.stop()).rejects.toThrow(/pass createClient\(\{ WebSocket \}\)/)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('REST and ProblemError', () => {
  it('sends the bearer token and parses problems into ProblemError', async () => {
    const api = fakeFetch((call) =>
      call.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json(
            404,
            {
              type: 'about:blank',
              title: 'Not Found',
              status: 404,
              code: 'RECORDING_NOT_FOUND',
              detail: 'no such recording',
              requestId: 'req-1',
            },
            { 'content-type': 'application/problem+json' },
          ),
    )
    const client = createClient({ baseUrl: 'http://rec.test', token: 'abc', fetch: api.fetch })
    const error = await client.recordings.get(RECORDING_ID).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProblemError)
    expect(error).toMatchObject({
      status: 404,
      code: 'RECORDING_NOT_FOUND',
      detail: 'no such recording',
      requestId: 'req-1',
    })
    await client.recordings.delete(RECORDING_ID)
    expect(api.calls.map((c) => `${c.method} ${c.url} ${c.headers.authorization}`)).toEqual([
      `GET http://rec.test/api/v1/recordings/${RECORDING_ID} Bearer abc`,
      `DELETE http://rec.test/api/v1/recordings/${RECORDING_ID} Bearer abc`,
    ])
  })

  it('a non-problem error answer still becomes a ProblemError with the request id header', async () => {
    const api = fakeFetch(
      () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'x-request-id': 'gw-9' } }),
    )
    const client = createClient({ baseUrl: 'http://rec.test', token: 'abc', fetch: api.fetch })
    await expect(client.recordings.list({ limit: 5, status: 'completed' })).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      requestId: 'gw-9',
    })
    expect(api.calls[0]?.url).toBe('http://rec.test/api/v1/recordings?limit=5&status=completed')
  })

  it('refuses a client without a token', () => {
    expect(() => createClient({ baseUrl: 'http://rec.test' })).toThrow(/token or getToken/)
  })
})
