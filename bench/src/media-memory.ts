/**
 * Peak memory of probing and remuxing a large MediaRecorder-style WebM (no duration, no cues),
 * read from a file by range as the blob store serves it. `MEDIA_BENCH_MIB` sets the size
 * (default 2048). Run: `pnpm --filter @rec/bench exec tsx --conditions=source src/media-memory.ts`.
 * The file is made fast: a 10 s high-bitrate clip, then repeated by stream copy (no encoding).
 */
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MediabunnyMediaProbe, MediabunnyMediaRemuxer } from '@rec/adapters-media'

const targetMib = Number(process.env.MEDIA_BENCH_MIB ?? 2048)
const dir = await mkdtemp(join(tmpdir(), 'rec-media-bench-'))
const ff = (args: string[]) =>
  execFileSync('/usr/bin/ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args])
try {
  const clip = join(dir, 'clip.webm')
  ff([
    ...['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30:duration=10'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=10'],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '20M', '-c:a', 'libopus', clip],
  ])
  const loops = Math.max(0, Math.ceil((targetMib * 1024 * 1024) / (await stat(clip)).size) - 1)
  const big = join(dir, 'big.webm')
  ff(['-stream_loop', String(loops), '-i', clip, '-c', 'copy', '-f', 'webm', '-live', '1', big])
  const { size } = await stat(big)
  const source = {
    sizeBytes: size,
    read: async (range: { start: number; end: number }) =>
      createReadStream(big, { start: range.start, end: range.end }),
  }
  const rssBefore = process.memoryUsage().rss
  let t = Date.now()
  const media = await new MediabunnyMediaProbe().probe(source)
  const probeMs = Date.now() - t
  t = Date.now()
  const copy = await new MediabunnyMediaRemuxer({ tmpDir: dir }).seekableCopy(source)
  let copied = 0
  for await (const chunk of copy ?? []) copied += chunk.byteLength
  const remuxMs = Date.now() - t
  const peak = process.resourceUsage().maxRSS * 1024
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`
  console.log(
    JSON.stringify({
      file: mib(size),
      durationMs: 'durationMs' in media ? media.durationMs : media,
      rendition: mib(copied),
      probeMs,
      remuxMs,
      rssBeforeProbe: mib(rssBefore),
      peakRss: mib(peak),
    }),
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
