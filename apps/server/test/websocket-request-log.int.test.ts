import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { type RunningServer, startServer } from '../src/start-server.js'
import { rest } from './support/rest.js'
import { freshPostgresDatabase, unavailable } from './support/test-database.js'
import { signToken, TEST_SECRET, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, item 10: a WebSocket upgrade was logged with status 200 when the handshake answered,
// even when the socket was then refused (4401, 4404, 1008). Its line now waits for the close
// and carries the close code.
const usePostgres = unavailable('postgres') === null

type Line = Record<string, unknown>

describe(`WebSocket upgrades are logged with their close code (${usePostgres ? 'postgres' : 'pglite'})`, () => {
  let server: RunningServer
  let wsUrl: string
  let dataDir: string
  let drop = async (): Promise<void> => {}
  const lines: Line[] = []

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rec-wslog-'))
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_SECRET,
      MAX_SOCKETS_PER_USER: '1',
    }
    if (usePostgres) {
      const db = await freshPostgresDatabase()
      drop = db.drop
      env.DATABASE_URL = db.url
    }
    const logger = pino({ level: 'info' }, { write: (text: string) => void lines.push(JSON.parse(text)) })
    server = await startServer(loadConfig(env), logger)
    wsUrl = server.url.replace(/^http/, 'ws')
  })
  afterAll(async () => {
    await server?.close()
    await drop()
    await rm(dataDir, { recursive: true, force: true })
  })

  /** The request line of `path` once it is written (a WebSocket's is written when it closes). */
  const lineOf = async (path: string): Promise<Line> => {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const found = lines.filter((l) => l.msg === 'request' && l.path === path)
      if (found.length > 0) {
        expect(found).toHaveLength(1)
        return found[0] as Line
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`no request line for ${path}; got ${JSON.stringify(lines)}`)
  }

  it.each([
    ['no token', 4401, (id: string) => `${wsUrl}/api/v1/recordings/${id}/stream`],
    ['a bad token', 4401, (id: string) => `${wsUrl}/api/v1/recordings/${id}/stream?token=nope`],
  ])('a stream refused for %s: status 101 and close %i, never 200', async (_name, code, url) => {
    const id = crypto.randomUUID()
    const socket = new TestSocket(url(id))
    expect((await socket.closed).code).toBe(code)
    const line = await lineOf(`/api/v1/recordings/${id}/stream`)
    expect(line).toMatchObject({ method: 'GET', status: 101, closeCode: code, userId: null })
    expect(JSON.stringify(line)).not.toContain('nope')
  })

  it("another user's recording: close 4404 in the log, with the caller's user id", async () => {
    const owner = crypto.randomUUID()
    const { id } = await rest({ url: server.url } as TestServer, await signToken(owner)).start()
    const intruder = crypto.randomUUID()
    const socket = new TestSocket(
      `${wsUrl}/api/v1/recordings/${id}/stream?token=${await signToken(intruder)}`,
    )
    expect((await socket.closed).code).toBe(4404)
    expect(await lineOf(`/api/v1/recordings/${id}/stream`)).toMatchObject({
      status: 101,
      closeCode: 4404,
      userId: intruder,
    })
  })

  it('an accepted stream is logged once it ends (1000), and a socket over the cap with 1008', async () => {
    const user = crypto.randomUUID()
    const token = await signToken(user)
    const { id } = await rest({ url: server.url } as TestServer, token).start()
    const socket = new TestSocket(`${wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
    await socket.ofType('ready')
    const over = new TestSocket(`${wsUrl}/api/v1/events?token=${token}`)
    await over.ofType('ready')
    const refused = new TestSocket(`${wsUrl}/api/v1/events?token=${token}`)
    expect((await refused.closed).code).toBe(1008)
    expect(lines.filter((l) => l.path === `/api/v1/recordings/${id}/stream`)).toEqual([])
    await socket.send('{"type":"stop"}')
    expect((await socket.closed).code).toBe(1000)
    expect(await lineOf(`/api/v1/recordings/${id}/stream`)).toMatchObject({
      status: 101,
      closeCode: 1000,
      userId: user,
    })
    over.socket.close(1000, 'bye')
    await over.closed
    const events = lines.filter((l) => l.msg === 'request' && l.path === '/api/v1/events')
    for (let waited = 0; events.length < 2 && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      events.splice(
        0,
        events.length,
        ...lines.filter((l) => l.msg === 'request' && l.path === '/api/v1/events'),
      )
    }
    expect(events.map((l) => [l.status, l.closeCode])).toEqual([
      [101, 1008],
      [101, 1000],
    ])
  })
})
