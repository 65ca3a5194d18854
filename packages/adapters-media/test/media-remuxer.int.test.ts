import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MediabunnyMediaRemuxer, readMatroskaHead } from '../src/index.js'
import { fileSource, makeLiveWebm, makeSample } from './make-media.js'

const ffprobe = (path: string) =>
  JSON.parse(
    execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], {
      encoding: 'utf8',
    }),
  ) as { format: { duration?: string; format_name: string }; streams: { codec_name: string }[] }
const mkvinfo = (path: string) => execFileSync('mkvinfo', ['-v', path], { encoding: 'utf8' })
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(chunk)
  return Buffer.concat(chunks)
}

describe('MediabunnyMediaRemuxer', () => {
  let dir = ''
  const remuxer = new MediabunnyMediaRemuxer()
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-remux-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('gives a MediaRecorder-style WebM (no duration, no cues) a copy with both, same length, original untouched', async () => {
    const original = makeLiveWebm(dir, 4)
    const before = await sha256(original)
    expect(readMatroskaHead(await readFile(original))).toEqual({ hasDuration: false, hasCues: false })
    expect(mkvinfo(original)).not.toMatch(/\|\+ Cues/)
    expect(ffprobe(original).format.duration).toBeUndefined()

    const copy = await remuxer.seekableCopy(await fileSource(original))
    expect(copy).not.toBeNull()
    const rendition = join(process.env.KEEP_RENDITION ?? dir, 'seekable.webm')
    await writeFile(rendition, await collect(copy as AsyncIterable<Uint8Array>))

    expect(readMatroskaHead(await readFile(rendition))).toEqual({ hasDuration: true, hasCues: true })
    const info = mkvinfo(rendition)
    expect(info).toMatch(/\| \+ Duration: /)
    expect(info).toMatch(/\|\+ Cues/)
    const probed = ffprobe(rendition)
    if (process.env.SEEKABLE_FFPROBE) {
      await writeFile(process.env.SEEKABLE_FFPROBE, `${JSON.stringify(probed, null, 2)}\n${info}`)
    }
    expect(probed.format.format_name).toContain('webm')
    expect(probed.streams.map((s) => s.codec_name)).toEqual(['vp8', 'opus'])
    expect(Number(probed.format.duration)).toBeGreaterThan(3.9)
    expect(Number(probed.format.duration)).toBeLessThan(4.1)
    // Played to the end, the copy lasts as long as the original.
    const played = (path: string) =>
      execFileSync(
        '/usr/bin/ffprobe',
        ['-v', 'error', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', path],
        {
          encoding: 'utf8',
        },
      )
    expect(played(rendition)).toBe(played(original))
    expect(await sha256(original)).toBe(before)
  })

  it('makes no copy of a WebM that has both already, or of another container', async () => {
    const muxed = makeSample(dir, 'vp8-opus.webm')
    expect(readMatroskaHead(await readFile(muxed))).toEqual({ hasDuration: true, hasCues: true })
    expect(await remuxer.seekableCopy(await fileSource(muxed))).toBeNull()
    expect(await remuxer.seekableCopy(await fileSource(makeSample(dir, 'h264-aac.mp4')))).toBeNull()
  })
})
