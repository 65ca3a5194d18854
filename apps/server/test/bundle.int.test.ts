import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, redisServerUrl } from '#test-support/integration-env.js'
import { serviceS3Env, startTestS3 } from '#test-support/s3-server.js'
import { buildServer } from '../build.mjs'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { sha256Hex } from './support/rest.js'
import { mediaBytes, resumeAndFinish } from './support/streamer.js'
import { serverData } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { until } from './support/until.js'

// What `pnpm start` runs: the server bundled by apps/server/build.mjs (its dependencies inside,
// PGlite and pino resolved beside it, Redis, S3 and media as chunks loaded when used), started the
// way the script starts it. The other server tests run the sources through tsx.
const ROOT = join(import.meta.dirname, '../../..')
const BUNDLE = ['--enable-source-maps', 'apps/server/bundle/main.js']

const why = POSTGRES_UNAVAILABLE ?? REDIS_UNAVAILABLE
const s3 = why === null ? await startTestS3() : null

async function ready(server: ChildServer): Promise<Record<string, unknown>> {
  return until(async () => {
    const res = await fetch(`${server.url}/health/ready`)
    return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null
  }, 60_000)
}

/** Records `bytes` over the WebSocket protocol and checks the download returns them; resolves the id. */
async function recordAndRead(server: ChildServer, token: string, bytes: Uint8Array): Promise<string> {
  const auth = { authorization: `Bearer ${token}` }
  const started = await fetch(`${server.url}/api/v1/recordings/start`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: crypto.randomUUID() }),
  })
  expect(started.status).toBe(201)
  const { id } = (await started.json()) as { id: string }
  const url = `${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`
  const { completed, closed } = await resumeAndFinish(url, bytes, 0)
  expect(completed.recording?.sizeBytes).toBe(bytes.byteLength)
  expect(closed.code).toBe(1000)
  const content = await fetch(`${server.url}/api/v1/recordings/${id}/content`, { headers: auth })
  expect(content.status).toBe(200)
  expect(await sha256Hex(new Uint8Array(await content.arrayBuffer()))).toBe(await sha256Hex(bytes))
  return id
}

describe('the bundled server (pnpm start)', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  beforeAll(async () => {
    await buildServer()
  }, 120_000)
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  afterAll(async () => {
    await s3?.dispose()
  })

  it('on PGlite: records and serves the bytes, finds the recorder page, stops on SIGTERM, and reopens its data (the early open)', async () => {
    const data = await serverData('rec-bundle-', false)
    cleanups.push(() => data.dispose())
    const env = { ...data.env, RECORDER_PAGE: 'on' }
    const token = await signToken(crypto.randomUUID())
    const first = await startChildServer(env, BUNDLE)
    cleanups.push(() => first.stop('SIGKILL'))
    expect(await ready(first)).toMatchObject({ status: 'ready', checks: { postgres: 'ok', storage: 'ok' } })
    const bytes = mediaBytes(3 * 1024 * 1024 + 17, 7)
    const id = await recordAndRead(first, token, bytes)
    // The page's directory is found relative to the module, from bundle/ as from dist/ and src/.
    const page = first.lines
      .map((line) => JSON.parse(line) as { msg?: string; dir?: string })
      .find((line) => line.msg?.includes('recorder page'))
    expect(page?.dir).toBe(join(ROOT, 'apps/recorder/dist'))
    expect(await first.stop('SIGTERM')).toBe(0)

    const second = await startChildServer(env, BUNDLE)
    cleanups.push(() => second.stop('SIGKILL'))
    await ready(second)
    const res = await fetch(`${second.url}/api/v1/recordings/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(await res.json()).toMatchObject({ id, status: 'completed', sizeBytes: bytes.byteLength })
    await recordAndRead(second, token, mediaBytes(256 * 1024, 8))
    expect(await second.stop('SIGTERM')).toBe(0)
  }, 120_000)

  it.skipIf(s3 === null)(
    `on PostgreSQL, Redis and S3 (${s3?.kind ?? `skipped: ${why}`}): the lazily loaded chunks work`,
    async () => {
      if (!s3) return
      const data = await serverData('rec-bundle-', true)
      cleanups.push(() => data.dispose())
      const server = await startChildServer(
        {
          ...data.env,
          REDIS_URL: await redisServerUrl(),
          ...serviceS3Env(s3, await s3.newBucket()),
        },
        BUNDLE,
      )
      cleanups.push(() => server.stop('SIGKILL'))
      expect(await ready(server)).toMatchObject({
        status: 'ready',
        checks: { postgres: 'ok', storage: 'ok', redis: 'ok' },
      })
      await recordAndRead(server, await signToken(crypto.randomUUID()), mediaBytes(6 * 1024 * 1024 + 5, 9))
      expect(await server.stop('SIGTERM')).toBe(0)
    },
    120_000,
  )
})
