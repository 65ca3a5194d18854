import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, TEST_SECRET, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, item 7: a correctly signed token without `exp` never expires; SPEC §3 refuses it.
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'
const secret = new TextEncoder().encode(TEST_SECRET)

describe(`a token without exp is refused (${backend})`, () => {
  let server: TestServer
  let forever: string
  beforeAll(async () => {
    server = await startTestServer(backend)
    forever = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(crypto.randomUUID())
      .setIssuedAt()
      .sign(secret)
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('REST: 401 problem without exp, 200 with it', async () => {
    const list = (token: string) =>
      fetch(`${server.url}/api/v1/recordings`, { headers: { authorization: `Bearer ${token}` } })
    const refused = await list(forever)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED', status: 401 })
    expect((await list(await server.token(crypto.randomUUID()))).status).toBe(200)
  })

  it('WebSocket: the events and stream sockets close 4401', async () => {
    const events = new TestSocket(`${server.wsUrl}/api/v1/events?token=${forever}`)
    expect((await events.closed).code).toBe(4401)
    const stream = new TestSocket(`${server.wsUrl}/api/v1/recordings/${crypto.randomUUID()}/stream`, {
      authorization: `Bearer ${forever}`,
    })
    expect((await stream.closed).code).toBe(4401)
    expect(stream.messages).toEqual([{ type: 'error', code: 'UNAUTHORIZED', message: expect.any(String) }])
  })
})
