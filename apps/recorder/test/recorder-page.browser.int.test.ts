import { execFile, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { CHROMIUM, CHROMIUM_MISSING, chromiumArgs } from '#test-support/chromium.js'
import { type ChildServer, startChildServer } from '../../server/test/support/child-server.js'
import { serverData, unavailable } from '../../server/test/support/test-database.js'
import { signToken } from '../../server/test/support/test-server.js'
import { buildRecorderPage } from '../build.mjs'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../../..')
const SCREENSHOT = join(ROOT, '.ci/out/recorder-page.png')
const why = CHROMIUM_MISSING
  ? CHROMIUM_MISSING
  : spawnSync('ffprobe', ['-version']).status !== 0
    ? 'no ffprobe'
    : unavailable('postgres')

const ackedBytes = async (page: Page) =>
  Number((await page.locator('#acked').getAttribute('data-bytes')) ?? 0)

/** Resolves once the page has been recording for `ms` (the recording's length is the point here). */
const recordedFor = (since: number, ms: number) =>
  expect.poll(() => Date.now() - since, { timeout: ms + 5_000, interval: 250 }).toBeGreaterThanOrEqual(ms)

describe('the recorder page in headless Chromium', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  })

  it.skipIf(why !== null)(
    `records ~8 s through a SIGKILL and restart of the server, completes, ffprobe decodes it, plays it back${why ? ` (skipped: ${why})` : ''}`,
    async () => {
      await buildRecorderPage()
      const data = await serverData('rec-browser-', true)
      cleanups.push(() => data.dispose())
      const env = { ...data.env, NODE_ENV: 'development', RECORDER_PAGE: 'on' }
      let server: ChildServer = await startChildServer(env)
      cleanups.push(() => server.stop('SIGKILL'))
      const port = new URL(server.url).port

      const browser: Browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: chromiumArgs({ camera: true, autoplay: true }),
      })
      cleanups.push(() => browser.close())
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
      const consoleLines: string[] = []
      page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`))
      page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`))

      await page.goto(`${server.url}/`)
      await page.waitForSelector('body[data-phase="idle"]', { timeout: 30_000 })
      expect(await page.locator('#camera option').count()).toBeGreaterThan(0)
      expect(await page.locator('#microphone option').count()).toBeGreaterThan(0)
      const userId = ((await page.locator('#user').textContent()) ?? '').replace('user ', '')
      expect(userId).toMatch(/^[0-9a-f-]{36}$/)

      // Record; the server is killed after ~3 s and restarted on the same port while the page records on.
      await page.click('#start')
      await page.waitForSelector('body[data-phase="recording"]')
      const started = Date.now()
      await expect.poll(() => ackedBytes(page), { timeout: 20_000 }).toBeGreaterThan(10_000)
      await recordedFor(started, 3_000)
      await server.stop('SIGKILL')
      await page.waitForSelector('body[data-phase="reconnecting"]', { timeout: 20_000 })
      expect(await page.locator('#connection').textContent()).toMatch(
        /^reconnecting \(attempt \d+, in \d+ ms\)$/,
      )
      const ackedBeforeRestart = await ackedBytes(page)
      server = await startChildServer({ ...env, PORT: port })
      await page.waitForSelector('body[data-phase="recording"]', { timeout: 30_000 })
      await expect.poll(() => ackedBytes(page), { timeout: 20_000 }).toBeGreaterThan(ackedBeforeRestart)
      await recordedFor(started, 8_000)
      await page.click('#stop')
      await page.waitForSelector('body[data-phase="completed"]', { timeout: 30_000 })
      const id = ((await page.locator('#recording-id').textContent()) ?? '').slice(0, 36)

      // The recording, as the API has it: completed, its bytes match the checksum, ffprobe decodes them.
      const auth = { authorization: `Bearer ${await signToken(userId)}` }
      const recording = (await (
        await fetch(`${server.url}/api/v1/recordings/${id}`, { headers: auth })
      ).json()) as {
        status: string
        sizeBytes: number
        checksum: string
      }
      expect(recording).toMatchObject({ status: 'completed' })
      expect(recording.sizeBytes).toBeGreaterThan(ackedBeforeRestart)
      const bytes = new Uint8Array(
        await (await fetch(`${server.url}/api/v1/recordings/${id}/content`, { headers: auth })).arrayBuffer(),
      )
      expect(bytes.byteLength).toBe(recording.sizeBytes)
      expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(recording.checksum)
      const dir = await mkdtemp(join(tmpdir(), 'rec-browser-media-'))
      cleanups.push(() => rm(dir, { recursive: true, force: true }))
      const file = join(dir, 'recording.webm')
      await writeFile(file, bytes)
      const probe = await run('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_type,codec_name',
        '-of',
        'json',
        file,
      ])
      const streams = (JSON.parse(probe.stdout) as { streams: { codec_type: string; codec_name: string }[] })
        .streams
      expect(streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video'])
      // Decode every video frame (MediaRecorder's WebM has no duration: count frames instead).
      const frames = await run('ffprobe', [
        ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
        ...['-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file],
      ])
      expect(frames.stderr).toBe('')
      expect(Number(frames.stdout.trim())).toBeGreaterThan(50) // ~8 s of a 30 fps fake camera

      // Playback in the page, through a signed playback URL (no Authorization on the <video>).
      const play = page.locator(`tr[data-id="${id}"][data-status="completed"] button.play`)
      await play.waitFor({ timeout: 15_000 })
      await play.click()
      await page.waitForSelector('body[data-playback="playing"]', { timeout: 20_000 })
      expect(await page.locator('#playback').getAttribute('src')).toMatch(new RegExp(`/playback/${id}\\?`))
      await mkdir(join(ROOT, '.ci/out'), { recursive: true })
      await page.screenshot({ path: SCREENSHOT, fullPage: true })
      expect(consoleLines.filter((l) => l.startsWith('pageerror'))).toEqual([])
    },
    180_000,
  )
})
