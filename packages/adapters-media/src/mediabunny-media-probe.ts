import type { MediaFacts, MediaProbe, MediaTrack, ProbeSource } from '@rec/domain'
import { ALL_FORMATS, Input, type InputTrack } from 'mediabunny'
import { blobSource, type ReadTracker } from './blob-source.js'

/** Container names as mediabunny gives them, in SPEC §13's lower-case form. */
const CONTAINERS: Readonly<Record<string, string>> = {
  WebM: 'webm',
  Matroska: 'matroska',
  MP4: 'mp4',
  QuickTime: 'quicktime',
  Ogg: 'ogg',
  WAVE: 'wav',
  MP3: 'mp3',
  ADTS: 'adts',
  FLAC: 'flac',
}

/**
 * MediaProbe on mediabunny (pure TypeScript): reads only the ranges the demuxer asks for, through
 * a cache of at most `maxCacheBytes`, so memory stays bounded whatever the file's size.
 */
export class MediabunnyMediaProbe implements MediaProbe {
  readonly #maxCacheBytes: number

  constructor({ maxCacheBytes = 8 * 1024 * 1024 }: { maxCacheBytes?: number } = {}) {
    this.#maxCacheBytes = maxCacheBytes
  }

  async probe(source: ProbeSource): Promise<MediaFacts> {
    if (source.sizeBytes === 0) return { error: 'no bytes were stored' }
    const tracker: ReadTracker = { failure: null }
    const input = new Input({
      formats: ALL_FORMATS,
      source: blobSource(source, tracker, this.#maxCacheBytes),
    })
    try {
      const format = await input.getFormat()
      const tracks = await input.getTracks()
      if (tracks.length === 0) return { error: `${format.name} with no tracks` }
      const seconds = await input.computeDuration()
      return {
        container: CONTAINERS[format.name] ?? format.name.toLowerCase(),
        mimeType: await input.getMimeType(),
        durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
        tracks: await Promise.all(tracks.map(describeTrack)),
      }
    } catch (error) {
      // A failed read is the store's fault and worth a retry; anything else is the bytes'.
      if (tracker.failure !== null) throw tracker.failure
      return { error: error instanceof Error ? error.message : String(error) }
    } finally {
      input.dispose()
    }
  }
}

async function describeTrack(track: InputTrack): Promise<MediaTrack> {
  if (track.isVideoTrack()) {
    return {
      kind: 'video',
      codec: track.codec,
      width: await track.getDisplayWidth(),
      height: await track.getDisplayHeight(),
    }
  }
  if (track.isAudioTrack()) {
    return {
      kind: 'audio',
      codec: track.codec,
      sampleRate: track.sampleRate,
      channels: track.numberOfChannels,
    }
  }
  return { kind: 'subtitle', codec: track.codec }
}
