import { createHash } from 'node:crypto'
import { chromium } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { CHROMIUM, CHROMIUM_MISSING, chromiumArgs } from '#test-support/chromium.js'
import { type ChildServer, startChildServer } from './support/child-server.js'
import { serverData, unavailable } from './support/test-database.js'
import { signToken } from './support/test-server.js'
import { bundleUppy, pageBytes, servePage, type UppyRun } from './support/uppy-page.js'

const SIZE = 8 * 1024 * 1024
const backend = unavailable('postgres') === null ? 'postgres' : 'pglite'
const noBrowser = CHROMIUM_MISSING

/** What the page defines on its window (support/uppy-page.ts); tests type-check without the DOM lib. */
interface UppyPage {
  runUpload(run: UppyRun): Promise<{ successful: { uploadURL: string | null }[]; failed: string[] }>
}

describe(`Uppy (@uppy/tus) in headless Chromium from another origin, on ${backend}`, () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it.skipIf(noBrowser !== null)(
    `uploads 8 MiB with default options${noBrowser ? ` (skipped: ${noBrowser})` : ''}`,
    async () => {
      const page = await servePage(await bundleUppy())
      cleanups.push(page.close)
      const data = await serverData('rec-uppy-', backend === 'postgres')
      cleanups.push(() => data.dispose())
      const server: ChildServer = await startChildServer({ ...data.env, CORS_ORIGINS: page.url })
      cleanups.push(() => server.stop('SIGTERM'))
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: chromiumArgs(),
      })
      cleanups.push(() => browser.close())
      const tab = await browser.newPage()
      const failures: string[] = []
      tab.on('requestfailed', (request) =>
        failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
      )
      tab.on('console', (message) => {
        if (message.type() === 'error') failures.push(message.text())
      })
      await tab.goto(page.url)
      expect(new URL(page.url).origin).not.toBe(new URL(server.url).origin)

      const user = crypto.randomUUID()
      const token = await signToken(user)
      const run: UppyRun = {
        endpoint: `${server.url}/api/v1/uploads`,
        token,
        sessionId: crypto.randomUUID(),
        size: SIZE,
      }
      const result = await tab.evaluate((r) => (globalThis as unknown as UppyPage).runUpload(r), run)
      expect(result.failed, failures.join('\n')).toEqual([])
      const url = result.successful[0]?.uploadURL ?? ''
      expect(url).toMatch(/\/api\/v1\/recordings\/[0-9a-f-]{36}\/content$/)

      const id = url.split('/').at(-2)
      const res = await fetch(`${server.url}/api/v1/recordings/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      const sha256 = createHash('sha256').update(pageBytes(SIZE)).digest('hex')
      expect(await res.json()).toMatchObject({
        status: 'completed',
        sizeBytes: SIZE,
        checksum: `sha256:${sha256}`,
        name: 'clip.webm',
        config: { format: 'webm' },
      })
    },
    120_000,
  )
})
