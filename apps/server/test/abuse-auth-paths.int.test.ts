import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

const ISSUER = 'https://issuer.test'
const AUDIENCE = 'recording-service'
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

describe(`JWT attacks through a real server with a JWKS (${backend})`, () => {
  let jwks: Server
  let server: TestServer
  let privateKey: Parameters<SignJWT['sign']>[0]
  let publicPem: string
  let publicJwk: Record<string, unknown>
  const user = crypto.randomUUID()
  const claims = () => new SignJWT({}).setSubject(user).setIssuer(ISSUER).setAudience(AUDIENCE)

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true })
    privateKey = pair.privateKey
    publicPem = await exportSPKI(pair.publicKey)
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [publicJwk] }))
    })
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
    const port = (jwks.address() as AddressInfo).port
    server = await startTestServer(backend, {
      JWT_SECRET: '',
      JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    })
  })
  afterAll(async () => {
    await server?.dispose()
    await new Promise<void>((resolve) => jwks?.close(() => resolve()))
  })

  const listWith = async (token: string) =>
    fetch(`${server.url}/api/v1/recordings`, { headers: { authorization: `Bearer ${token}` } })

  it('accepts a good RS256 token and refuses every forged, stale, early or misdirected one (REST and WebSocket)', async () => {
    const good = await claims()
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setExpirationTime('1h')
      .sign(privateKey)
    expect((await listWith(good)).status).toBe(200)
    const now = Math.floor(Date.now() / 1000)
    const attacks: Record<string, string> = {
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user, iss: ISSUER, aud: AUDIENCE, exp: now + 3600 })}.`,
      // HMAC keyed with the public key the server trusts, as PEM and as the JWK's JSON.
      'HS256 with the public PEM': await claims()
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(publicPem)),
      'HS256 with the public JWK': await claims()
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
      expired: await claims()
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setExpirationTime(now - 120)
        .sign(privateKey),
      'not yet valid (nbf)': await claims()
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setNotBefore(now + 3600)
        .setExpirationTime(now + 7200)
        .sign(privateKey),
      'wrong audience': await new SignJWT({})
        .setSubject(user)
        .setIssuer(ISSUER)
        .setAudience('another-service')
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setExpirationTime('1h')
        .sign(privateKey),
      'wrong issuer': await new SignJWT({})
        .setSubject(user)
        .setIssuer('https://evil.test')
        .setAudience(AUDIENCE)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setExpirationTime('1h')
        .sign(privateKey),
      'unknown kid': await claims()
        .setProtectedHeader({ alg: 'RS256', kid: 'nope' })
        .setExpirationTime('1h')
        .sign(privateKey),
      'tampered payload': `${good.split('.')[0]}.${b64({ sub: crypto.randomUUID(), iss: ISSUER, aud: AUDIENCE, exp: now + 3600 })}.${good.split('.')[2]}`,
      'huge (12 KiB, past the 8 KiB limit)': await new SignJWT({ pad: 'x'.repeat(9 * 1024) })
        .setSubject(user)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setExpirationTime('1h')
        .sign(privateKey),
    }
    const id = (await rest(server, good).start()).id
    for (const [name, token] of Object.entries(attacks)) {
      const res = await listWith(token)
      expect({ name, status: res.status }).toEqual({ name, status: 401 })
      expect(await res.text()).not.toMatch(/at .*\.(ts|js):\d+|jose|JWSInvalid|stack/i)
      const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
      expect({ name, close: (await socket.closed).code }).toEqual({ name, close: 4401 })
    }
    // Far past Node's 16 KiB header limit: refused by the HTTP parser, never a 5xx.
    const enormous = await listWith('x'.repeat(64 * 1024))
    expect(enormous.status).toBe(431)
  })
})

describe(`path traversal in every id position (${backend})`, () => {
  let server: TestServer
  let token: string
  beforeAll(async () => {
    server = await startTestServer(backend)
    token = await server.token(crypto.randomUUID())
  })
  afterAll(async () => {
    await server?.dispose()
  })

  const IDS = [
    '..',
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%252f..%252fetc%252fpasswd',
    '....//....//etc/passwd',
    '%00',
    'a%00b',
    '..\\..\\windows\\win.ini',
    '/etc/passwd',
    '%2Fetc%2Fpasswd',
    '00000000-0000-4000-8000-000000000000%2F..%2F..',
    '00000000-0000-4000-8000-000000000000.part',
    '00000000-0000-4000-8000-000000000000.sha256',
    encodeURIComponent("'; drop table recordings; --"),
  ]
  const ROUTES: readonly [string, (id: string) => string][] = [
    ['GET', (id) => `/recordings/${id}`],
    ['DELETE', (id) => `/recordings/${id}`],
    ['GET', (id) => `/recordings/${id}/status`],
    ['POST', (id) => `/recordings/${id}/stop`],
    ['GET', (id) => `/recordings/${id}/content`],
    ['HEAD', (id) => `/recordings/${id}/content`],
    ['PATCH', (id) => `/recordings/${id}/content`],
    ['GET', (id) => `/recordings?sessionId=${id}`],
  ]

  it('answers 400 or 404, never a 5xx, a file, a path or SQL', async () => {
    let requests = 0
    for (const id of IDS) {
      for (const [method, path] of ROUTES) {
        const res = await fetch(`${server.url}/api/v1${path(id)}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/offset+octet-stream',
            'upload-offset': '0',
          },
          ...(method === 'PATCH' ? { body: 'data' } : {}),
        })
        requests++
        const body = await res.text()
        expect({ id, method, status: res.status }).toEqual({
          id,
          method,
          status: expect.toSatisfy((s: number) => s === 400 || s === 404),
        })
        expect(body).not.toMatch(/root:|\[fonts\]|\/tmp\/|\/work\/|select |syntax error|at .*:\d+:\d+/i)
      }
      const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
      const closed = await socket.closed
      expect([4404, 1006]).toContain(closed.code)
    }
    console.log(`path traversal: ${requests} requests + ${IDS.length} WebSocket upgrades, all 400/404`)
  })
})
