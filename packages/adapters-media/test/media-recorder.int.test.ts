import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { CHROMIUM, CHROMIUM_MISSING, chromiumArgs } from '#test-support/chromium.js'
import { MediabunnyMediaProbe, MediabunnyMediaRemuxer, readMatroskaHead } from '../src/index.js'
import { fileSource } from './make-media.js'

// Runs in the page (a string: the tests are type-checked without the DOM library). Records 2 s
// of the fake camera and microphone and returns the file as base64.
const RECORD_2S = `(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true })
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8,opus' })
  const chunks = []
  recorder.ondataavailable = (e) => chunks.push(e.data)
  const stopped = new Promise((resolve) => { recorder.onstop = resolve })
  recorder.start(250)
  await new Promise((resolve) => setTimeout(resolve, 2000))
  recorder.stop()
  await stopped
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer())
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return btoa(text)
})()`

describe.skipIf(CHROMIUM_MISSING !== null)(
  `a file recorded by headless Chromium's MediaRecorder${CHROMIUM_MISSING ? ` (skipped: ${CHROMIUM_MISSING})` : ''}`,
  () => {
    it('is read, and gets a seekable copy: the recorder writes no duration and no cues', async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: chromiumArgs({ camera: true }),
      })
      const dir = await mkdtemp(join(tmpdir(), 'rec-mr-'))
      try {
        const page = await browser.newPage()
        // getUserMedia needs a secure context: localhost is one, about:blank is not.
        const server = createServer((_, res) =>
          res.writeHead(200, { 'content-type': 'text/html' }).end('<p>rec'),
        )
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
        await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`)
        server.close()
        const base64 = await page.evaluate<string>(RECORD_2S)
        const bytes = Buffer.from(base64, 'base64')
        const path = join(dir, 'recorded.webm')
        await writeFile(path, bytes)
        expect(readMatroskaHead(bytes)).toEqual({ hasDuration: false, hasCues: false })
        const media = await new MediabunnyMediaProbe().probe(await fileSource(path))
        expect(media).toMatchObject({
          container: 'webm',
          tracks: expect.arrayContaining([
            expect.objectContaining({ kind: 'video', codec: 'vp8' }),
            expect.objectContaining({ kind: 'audio', codec: 'opus' }),
          ]),
        })
        expect('durationMs' in media && media.durationMs).toBeGreaterThan(1000)
        const copy = await new MediabunnyMediaRemuxer().seekableCopy(await fileSource(path))
        const chunks: Uint8Array[] = []
        for await (const chunk of copy ?? []) chunks.push(chunk)
        expect(readMatroskaHead(Buffer.concat(chunks))).toEqual({ hasDuration: true, hasCues: true })
      } finally {
        await browser.close()
        await rm(dir, { recursive: true, force: true })
      }
    }, 60_000)
  },
)
