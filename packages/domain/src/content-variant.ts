import { RenditionNotFoundError } from './errors.js'
import type { Recording } from './recording.js'

export const CONTENT_VARIANTS = ['original', 'seekable'] as const
export type ContentVariant = (typeof CONTENT_VARIANTS)[number]

/** The stored bytes a download of `variant` serves. */
export interface ServedBlob {
  readonly key: string
  readonly sizeBytes: number
  readonly checksum: string | null
}

/**
 * The blob of `variant` of a completed recording: the original, or its seekable rendition.
 * Throws RenditionNotFoundError when the recording has no such rendition.
 */
export function servedBlob(recording: Recording, variant: ContentVariant): ServedBlob {
  if (variant === 'original') {
    return { key: recording.id, sizeBytes: recording.sizeBytes, checksum: recording.checksum }
  }
  if (recording.seekable === null) throw new RenditionNotFoundError(variant)
  return recording.seekable
}
