import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM, CHROMIUM_MISSING, chromiumArgs } from '#test-support/chromium.js'
import { rest } from './support/rest.js'
import { startTestServer, type TestServer } from './support/test-server.js'

const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const title =
  CHROMIUM_MISSING === null
    ? `a <video> on another origin plays a playback URL in Chromium (${backend})`
    : `a <video> on another origin plays a playback URL (skipped: ${CHROMIUM_MISSING})`

/** What the page reports about one <video>: metadata loaded, a seek done, or the media error. */
interface VideoReport {
  readonly duration: number
  readonly seeked: boolean
  readonly error: number | null
}

const PAGE = `<!doctype html><body><script>
  window.play = (src, crossOrigin) => new Promise((resolve) => {
    const v = document.createElement('video')
    if (crossOrigin) v.crossOrigin = 'anonymous'
    v.muted = true
    v.preload = 'auto'
    v.onerror = () => resolve({ duration: 0, seeked: false, error: v.error ? v.error.code : -1 })
    v.onloadedmetadata = () => { v.onseeked = () => resolve({ duration: v.duration, seeked: true, error: null }); v.currentTime = 3 }
    v.src = src
    document.body.append(v)
  })
</script></body>`

describe.skipIf(CHROMIUM_MISSING !== null)(title, () => {
  let server: TestServer
  let page: Server
  let browser: Browser
  let log = ''
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString()
        done()
      },
    })
    server = await startTestServer(backend, {}, pino({ level: 'info' }, sink))
    // Another origin (another port) serving the page that embeds the video.
    page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE))
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs({ autoplay: true }) })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => page?.close(resolve))
    await server?.dispose()
  })

  it('loads, seeks (Range) and plays without Authorization, with and without crossorigin; a tampered URL fails', async () => {
    const api = rest(server, await server.token(crypto.randomUUID()))
    const { id } = await api.start(crypto.randomUUID(), { format: 'webm' })
    const media = await readFile(join(import.meta.dirname, 'fixtures/sample.webm'))
    const put = await api.call('PATCH', `/recordings/${id}/content`, {
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: media,
    })
    expect(put.status).toBe(204)
    expect((await api.stop(id)).status).toBe(200)
    const { url } = (await (await api.call('POST', `/recordings/${id}/playback-url`)).json()) as {
      url: string
    }

    const tab = await browser.newPage()
    await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`)
    const play = (src: string, crossOrigin: boolean) =>
      tab.evaluate(
        ([s, c]) =>
          (globalThis as unknown as { play: (s: string, c: boolean) => Promise<VideoReport> }).play(s, c),
        [src, crossOrigin] as const,
      )
    for (const crossOrigin of [false, true]) {
      const report = await play(url, crossOrigin)
      expect(report, `crossorigin: ${crossOrigin}`).toMatchObject({ seeked: true, error: null })
      expect(report.duration).toBeGreaterThan(3.5)
    }
    const forged = new URL(url)
    const signature = forged.searchParams.get('signature') ?? ''
    forged.searchParams.set('signature', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1))
    const tampered = await play(forged.href, false)
    expect(tampered.error).not.toBeNull()
    await tab.close()

    const statuses = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { path?: string; status?: number })
      .filter((line) => line.path === `/playback/${id}`)
      .map((line) => line.status)
    // The media stack asked for ranges (and revalidated with If-None-Match); the forged URL was refused.
    expect(statuses).toContain(206)
    expect(statuses).toContain(403)
    expect(statuses.every((s) => s === 200 || s === 206 || s === 304 || s === 403)).toBe(true)
  }, 90_000)
})
