import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, item 10: the start response echoed an uppercase sessionId as sent, later reads returned
// it lowercase. Ids are normalised once, where they enter, so every answer spells them alike.
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'

describe(`UUIDs are lowercase in every answer, however the client spelled them (${backend})`, () => {
  let server: TestServer
  let api: ReturnType<typeof rest>
  let token: string
  beforeAll(async () => {
    server = await startTestServer(backend)
    token = await server.token(crypto.randomUUID())
    api = rest(server, token)
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('start echoes the sessionId lowercase, as get, list and stop return it', async () => {
    const sessionId = crypto.randomUUID()
    const started = await api.start(sessionId.toUpperCase())
    expect(started).toMatchObject({ sessionId })
    const id = started.id
    expect(await api.get(id.toUpperCase())).toMatchObject({ id, sessionId })
    const list = await api.call('GET', `/recordings?sessionId=${sessionId.toUpperCase()}`)
    expect(await list.json()).toMatchObject({ data: [{ id, sessionId }], pagination: { total: 1 } })
    // The same session in another case is the same session: one active recording per session.
    const again = await api.call('POST', '/recordings/start', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId }),
    })
    expect(again.status).toBe(409)
    expect(await (await api.stop(id.toUpperCase())).json()).toMatchObject({
      id,
      sessionId,
      status: 'completed',
    })
  })

  it('an idempotent replay in another case is the same request', async () => {
    const sessionId = crypto.randomUUID()
    const start = (spelling: string) =>
      api.call('POST', '/recordings/start', {
        headers: { 'content-type': 'application/json', 'idempotency-key': `k-${sessionId}` },
        body: JSON.stringify({ sessionId: spelling }),
      })
    const first = await start(sessionId.toUpperCase())
    expect(first.status).toBe(201)
    const replay = await start(sessionId)
    expect(replay.status).toBe(201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await replay.json()).toMatchObject({ sessionId })
  })

  it('a stream opened with the id in uppercase is taken over by one in lowercase', async () => {
    const { id } = await api.start()
    const url = (spelling: string) => `${server.wsUrl}/api/v1/recordings/${spelling}/stream?token=${token}`
    const first = new TestSocket(url(id.toUpperCase()))
    await first.ofType('ready')
    const second = new TestSocket(url(id))
    await second.ofType('ready')
    expect((await first.closed).code).toBe(4000)
    second.close()
  })
})
