/** One track of a stored container, as read from its bytes. */
export interface MediaTrack {
  readonly kind: 'video' | 'audio' | 'subtitle'
  /** The codec's short name (`vp8`, `opus`, `avc`, `aac`, `pcm-s16`…); null when unknown. */
  readonly codec: string | null
  readonly width?: number
  readonly height?: number
  readonly sampleRate?: number
  readonly channels?: number
}

/** What the stored bytes are, read from them (SPEC §13), never taken from the recording's config. */
export interface MediaInfo {
  /** The container's name: `webm`, `matroska`, `mp4`, `ogg`, `wav`, `mp3`… */
  readonly container: string
  readonly mimeType: string
  /** Of the longest track, from its last packet (not wall-clock time); null when it cannot be told. */
  readonly durationMs: number | null
  readonly tracks: readonly MediaTrack[]
}

/** The bytes are not a media file this service can read; final, never retried. */
export interface MediaUnreadable {
  readonly error: string
}

export type MediaFacts = MediaInfo | MediaUnreadable

export const isMediaUnreadable = (media: MediaFacts): media is MediaUnreadable => 'error' in media

/** A copy of the recording's media stored under a key of its own (the original never changes). */
export interface StoredRendition {
  readonly key: string
  readonly sizeBytes: number
  /** `sha256:<hex>` of the rendition's bytes. */
  readonly checksum: string
}
