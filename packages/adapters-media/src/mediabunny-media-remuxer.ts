import { randomUUID } from 'node:crypto'
import { open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MediaRemuxer, ProbeSource } from '@rec/domain'
import { ALL_FORMATS, Conversion, Input, Output, StreamTarget, WebMOutputFormat } from 'mediabunny'
import { blobSource } from './blob-source.js'
import { readMatroskaHead } from './matroska-head.js'

const HEAD_BYTES = 64 * 1024

/**
 * MediaRemuxer on mediabunny: copies the packets of a WebM without duration or cues into a new
 * WebM that has both (no decoding, no encoding). The muxer patches the header once it knows the
 * duration, which needs positioned writes: it writes to a temporary file, which the returned
 * stream reads and then removes. Memory: the input cache plus the muxer's current cluster.
 */
export class MediabunnyMediaRemuxer implements MediaRemuxer {
  readonly #tmpDir: string
  readonly #maxCacheBytes: number

  constructor({ tmpDir = tmpdir(), maxCacheBytes = 8 * 1024 * 1024 } = {}) {
    this.#tmpDir = tmpDir
    this.#maxCacheBytes = maxCacheBytes
  }

  async seekableCopy(source: ProbeSource): Promise<AsyncIterable<Uint8Array> | null> {
    if (source.sizeBytes === 0) return null
    const head = readMatroskaHead(await readHead(source))
    if (head === null || (head.hasDuration && head.hasCues)) return null
    const path = join(this.#tmpDir, `rec-seekable-${randomUUID()}.webm`)
    const file = await open(path, 'w+')
    try {
      const tracker = { failure: null }
      const input = new Input({
        formats: ALL_FORMATS,
        source: blobSource(source, tracker, this.#maxCacheBytes),
      })
      const writable = new WritableStream<{ data: Uint8Array; position: number }>({
        write: async (chunk) => {
          await file.write(chunk.data, 0, chunk.data.byteLength, chunk.position)
        },
      })
      const output = new Output({ format: new WebMOutputFormat(), target: new StreamTarget(writable) })
      const conversion = await Conversion.init({ input, output })
      // Copy only: a track that would need re-encoding makes no rendition rather than a lossy one.
      if (!conversion.isValid || conversion.discardedTracks.length > 0) {
        input.dispose()
        await file.close()
        await rm(path, { force: true })
        return null
      }
      await conversion.execute()
      input.dispose()
      await file.close()
    } catch (error) {
      await file.close().catch(() => {})
      await rm(path, { force: true })
      throw error
    }
    return readThenRemove(path)
  }
}

async function readHead(source: ProbeSource): Promise<Uint8Array> {
  const length = Math.min(HEAD_BYTES, source.sizeBytes)
  const bytes = new Uint8Array(length)
  let at = 0
  for await (const chunk of await source.read({ start: 0, end: length - 1 })) {
    bytes.set(chunk.subarray(0, length - at), at)
    at += chunk.byteLength
  }
  return bytes.subarray(0, Math.min(at, length))
}

async function* readThenRemove(path: string): AsyncIterable<Uint8Array> {
  const file = await open(path, 'r')
  try {
    for await (const chunk of file.createReadStream({ highWaterMark: 1024 * 1024 })) yield chunk as Uint8Array
  } finally {
    await file.close().catch(() => {})
    await rm(path, { force: true })
  }
}
