import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRecorderPage } from '../../recorder/build.mjs'
import { unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'

const backend = unavailable('postgres') ? 'pglite' : 'postgres'

describe('the recorder page and the development token (SPEC §11)', () => {
  const servers: TestServer[] = []
  beforeAll(async () => {
    await buildRecorderPage()
  }, 60_000)
  afterAll(async () => {
    for (const server of servers) await server.dispose()
  })
  const start = async (env: Record<string, string>) => {
    const server = await startTestServer(backend, env)
    servers.push(server)
    return server
  }

  it('development: GET / serves the page and its assets, POST /dev/token issues a token the API accepts', async () => {
    const server = await start({ NODE_ENV: 'development' })
    const page = await fetch(`${server.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await page.text()
    expect(html).toContain('<script type="module" src="/recorder/app.js"></script>')
    const script = await fetch(`${server.url}/recorder/app.js`)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await script.text()).length).toBeGreaterThan(5000)
    expect((await fetch(`${server.url}/recorder/..%2Fpackage.json`)).status).toBe(404)
    expect((await fetch(`${server.url}/recorder/nope.js`)).status).toBe(404)

    const userId = crypto.randomUUID()
    const issued = await fetch(`${server.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    })
    expect(issued.status).toBe(201)
    expect(issued.headers.get('cache-control')).toBe('no-store')
    const body = (await issued.json()) as { token: string; userId: string }
    expect(body.userId).toBe(userId)
    const list = await fetch(`${server.url}/api/v1/recordings`, {
      headers: { authorization: `Bearer ${body.token}` },
    })
    expect(list.status).toBe(200)
    const fresh = (await (await fetch(`${server.url}/dev/token`, { method: 'POST' })).json()) as {
      userId: string
    }
    expect(fresh.userId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.each([
    ['{"userId":"not-a-uuid"}', 'body.userId'],
    ['{"userId":42}', 'body.userId'],
    ['not json', undefined],
  ])('POST /dev/token with %s is a 400 problem', async (requestBody, path) => {
    const server = servers[0] ?? (await start({ NODE_ENV: 'development' }))
    const answer = await fetch(`${server.url}/dev/token`, { method: 'POST', body: requestBody })
    expect(answer.status).toBe(400)
    expect(answer.headers.get('content-type')).toBe('application/problem+json')
    const problem = (await answer.json()) as { code: string; errors?: { path: string }[] }
    expect(problem.code).toBe('VALIDATION_FAILED')
    if (path) expect(problem.errors?.[0]?.path).toBe(path)
  })

  it('production with RECORDER_PAGE=on serves the page but never a development token', async () => {
    const server = await start({ NODE_ENV: 'production', RECORDER_PAGE: 'on' })
    expect((await fetch(`${server.url}/`)).status).toBe(200)
    expect((await fetch(`${server.url}/dev/token`, { method: 'POST' })).status).toBe(404)
  })

  it('test and production without RECORDER_PAGE, and development with RECORDER_PAGE=off: no page, no token', async () => {
    const envs: Record<string, string>[] = [
      {},
      { NODE_ENV: 'production' },
      { NODE_ENV: 'development', RECORDER_PAGE: 'off' },
    ]
    for (const env of envs) {
      const server = await start(env)
      expect((await fetch(`${server.url}/`)).status).toBe(404)
      expect((await fetch(`${server.url}/recorder/app.js`)).status).toBe(404)
      expect((await fetch(`${server.url}/dev/token`, { method: 'POST' })).status).toBe(404)
    }
  })
})
