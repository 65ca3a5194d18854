import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ProbeSource } from '@rec/domain'

const FFMPEG = process.env.FFMPEG ?? '/usr/bin/ffmpeg'
const VIDEO = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15:duration=2']
const AUDIO = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2']

/** ffmpeg arguments (after the inputs) per sample file. */
export const SAMPLES = {
  'vp8-opus.webm': [...VIDEO, ...AUDIO, '-c:v', 'libvpx', '-b:v', '200k', '-c:a', 'libopus'],
  'h264-aac.mp4': [...VIDEO, ...AUDIO, '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'],
  'opus.ogg': [...AUDIO, '-c:a', 'libopus'],
  'pcm.wav': [...AUDIO, '-ac', '2', '-c:a', 'pcm_s16le'],
} as const

/** Makes `name` in `dir` with ffmpeg; resolves its path. */
export function makeSample(dir: string, name: keyof typeof SAMPLES): string {
  const path = join(dir, name)
  execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...SAMPLES[name], path])
  return path
}

/**
 * A WebM as a browser's MediaRecorder writes it: muxed live, so there is no duration and no
 * cues (ffmpeg's `-live 1` never seeks back to write them).
 */
export function makeLiveWebm(dir: string, seconds = 3): string {
  const path = join(dir, 'live.webm')
  execFileSync(FFMPEG, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=320x240:rate=15:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-c:v',
    'libvpx',
    '-b:v',
    '200k',
    '-c:a',
    'libopus',
    '-f',
    'webm',
    '-live',
    '1',
    path,
  ])
  return path
}

/** A ProbeSource over a file, reading each range with its own stream (as the blob store does). */
export async function fileSource(path: string): Promise<ProbeSource & { reads: number }> {
  const { size } = await stat(path)
  const source = {
    sizeBytes: size,
    reads: 0,
    async read(range: { start: number; end: number }) {
      source.reads++
      return createReadStream(path, { start: range.start, end: range.end })
    },
  }
  return source
}
