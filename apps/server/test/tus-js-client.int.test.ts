import { createHash, randomBytes } from 'node:crypto'
import { Upload, type UploadOptions } from 'tus-js-client'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '#test-support/redis-server.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { serverData, unavailable } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { startThrottledProxy } from './support/throttled-proxy.js'
import { TusTranscript } from './support/tus-transcript.js'

const SIZE = 20 * 1024 * 1024
const backend = unavailable('postgres') === null ? 'postgres' : 'pglite'

/**
 * Runs one tus-js-client Upload with its default options (only endpoint, auth header and
 * metadata are given) until it succeeds, fails, or `stopAt(bytesSent)` says to abort it.
 */
function runUpload(
  file: Buffer,
  options: Partial<UploadOptions>,
  stopAt: (sent: number) => boolean,
  onStop: (upload: Upload) => Promise<void>,
): Promise<{ url: string | null; outcome: 'success' | 'stopped' }> {
  return new Promise((resolve, reject) => {
    let stopping = false
    const upload: Upload = new Upload(file, {
      ...options,
      onProgress: (sent) => {
        if (stopping || !stopAt(sent)) return
        stopping = true
        void onStop(upload).then(() => resolve({ url: upload.url, outcome: 'stopped' }), reject)
      },
      onSuccess: () => resolve({ url: upload.url, outcome: 'success' }),
      onError: (error) => {
        if (!stopping) reject(error)
      },
    })
    upload.start()
  })
}

describe(`tus-js-client (Node, default options) on ${backend}`, () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('uploads 20 MiB through /api/v1/uploads, aborted at 40 %, resumed, then resumed again after SIGKILL', async () => {
    const data = await serverData('rec-tus-js-', backend === 'postgres')
    cleanups.push(() => data.dispose())
    const env = { ...data.env, PORT: String(await freePort()) }
    let server: ChildServer = await startChildServer(env)
    cleanups.push(() => server.stop('SIGKILL'))
    const user = crypto.randomUUID()
    const file = randomBytes(SIZE)
    const sha256 = createHash('sha256').update(file).digest('hex')
    // A 6 MiB/s uplink: slow enough that "abort at 40 %" happens at 40 %, whatever the machine.
    const proxy = await startThrottledProxy(Number(env.PORT), 6 * 1024 * 1024)
    cleanups.push(proxy.close)
    const transcript = new TusTranscript(proxy.url)
    const options: Partial<UploadOptions> = {
      endpoint: `${proxy.url}/api/v1/uploads`,
      headers: { Authorization: `Bearer ${await signToken(user)}` },
      metadata: { sessionId: crypto.randomUUID(), filename: 'talk.webm', filetype: 'video/webm' },
      ...transcript.hooks(),
    }

    transcript.note('1. a new upload, aborted by the client at 40 % of the bytes sent')
    const first = await runUpload(
      file,
      options,
      (sent) => sent >= SIZE * 0.4,
      (u) => u.abort(),
    )
    expect(first.outcome).toBe('stopped')
    const url = first.url
    if (url === null) throw new Error('no upload URL after the creation')
    expect(url).toMatch(/\/api\/v1\/recordings\/[0-9a-f-]{36}\/content$/)

    transcript.note('2. a new Upload resumes from the stored URL; the server is killed (SIGKILL) at 70 %')
    const second = await runUpload(
      file,
      { ...options, uploadUrl: url },
      (sent) => sent >= SIZE * 0.7,
      async (u) => {
        await server.stop('SIGKILL')
        await u.abort()
      },
    )
    expect(second.outcome).toBe('stopped')

    server = await startChildServer(env)
    transcript.note('3. the server restarted on the same address; a new Upload resumes and finishes')
    const third = await runUpload(
      file,
      { ...options, uploadUrl: url },
      () => false,
      async () => {},
    )
    expect(third.outcome).toBe('success')

    const id = url.split('/').at(-2)
    const res = await fetch(`${server.url}/api/v1/recordings/${id}`, {
      headers: { authorization: `Bearer ${await signToken(user)}` },
    })
    const recording = (await res.json()) as Record<string, unknown>
    expect(recording).toMatchObject({
      status: 'completed',
      stopReason: 'client',
      sizeBytes: SIZE,
      checksum: `sha256:${sha256}`,
      name: 'talk.webm',
      config: { format: 'webm', quality: 'high' },
    })
    const saved = await transcript.save('tus-js-client-resume-transcript.txt')
    console.log(`tus-js-client transcript (${saved}):\n${transcript.text()}`)
  }, 180_000)
})
