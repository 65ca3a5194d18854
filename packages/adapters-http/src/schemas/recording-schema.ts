import { z } from '@hono/zod-openapi'
import {
  FORMATS,
  isMediaUnreadable,
  type MediaFacts,
  QUALITIES,
  RECORDING_STATUSES,
  type Recording,
  STOP_REASONS,
} from '@rec/domain'

const timestamp = z.iso.datetime().openapi({ example: '2026-01-01T00:00:00.000Z' })

export const RecordingConfigSchema = z
  .strictObject({
    quality: z.enum(QUALITIES).default('high'),
    format: z.enum(FORMATS).default('webm'),
  })
  .openapi('RecordingConfig')

export const MediaTrackSchema = z
  .object({
    kind: z.enum(['video', 'audio', 'subtitle']),
    codec: z.string().nullable().openapi({ example: 'vp8' }),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    sampleRate: z.number().int().optional(),
    channels: z.number().int().optional(),
  })
  .openapi('MediaTrack')

/** SPEC §13: read from the stored bytes after completion; null until then. */
export const MediaSchema = z
  .union([
    z.object({
      container: z.string().openapi({ example: 'webm' }),
      mimeType: z.string().openapi({ example: 'video/webm' }),
      durationMs: z.number().int().nonnegative().nullable(),
      tracks: z.array(MediaTrackSchema),
    }),
    z.object({ error: z.string() }),
  ])
  .nullable()
  .openapi('Media')

export const RecordingSchema = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    userId: z.uuid(),
    status: z.enum(RECORDING_STATUSES),
    config: z.object({ quality: z.enum(QUALITIES), format: z.enum(FORMATS) }),
    sizeBytes: z.number().int().nonnegative(),
    durationMs: z.number().int().nonnegative().nullable(),
    checksum: z
      .string()
      .nullable()
      .openapi({ example: 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
    stopReason: z.enum(STOP_REASONS).nullable(),
    failureReason: z.string().nullable(),
    name: z
      .string()
      .nullable()
      .openapi({ description: 'The file name a tus upload gave (filename)', example: 'talk.webm' }),
    startedAt: timestamp,
    stoppedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    media: MediaSchema,
  })
  .openapi('Recording')

export const RecordingStatusSchema = RecordingSchema.pick({
  id: true,
  status: true,
  sizeBytes: true,
  durationMs: true,
  updatedAt: true,
}).openapi('RecordingStatus')

export const RecordingPageSchema = z
  .object({
    data: z.array(RecordingSchema),
    pagination: z.object({
      /** Null when the page was asked for by `cursor`. */
      page: z.number().int().min(1).nullable(),
      limit: z.number().int().min(1).max(100),
      total: z.number().int().nonnegative(),
      totalPages: z.number().int().nonnegative(),
      /** Pass as `cursor` for the page after this one; null when there is none (by cursor: a short page). */
      nextCursor: z.string().nullable(),
    }),
  })
  .openapi('RecordingPage')

export type RecordingDto = z.infer<typeof RecordingSchema>

/** The wire form: ISO timestamps, and none of the domain's bookkeeping fields. */
export function toRecordingDto(r: Recording): RecordingDto {
  return {
    id: r.id,
    sessionId: r.sessionId,
    userId: r.userId,
    status: r.status,
    config: { quality: r.config.quality, format: r.config.format },
    sizeBytes: r.sizeBytes,
    durationMs: r.durationMs,
    checksum: r.checksum,
    stopReason: r.stopReason,
    failureReason: r.failureReason,
    name: r.name,
    startedAt: r.startedAt.toISOString(),
    stoppedAt: r.stoppedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    media: toMediaDto(r.media),
  }
}

function toMediaDto(media: MediaFacts | null): RecordingDto['media'] {
  if (media === null || isMediaUnreadable(media)) return media
  return { ...media, tracks: media.tracks.map((t) => ({ ...t })) }
}

export type RecordingStatusDto = z.infer<typeof RecordingStatusSchema>

/** What `GET /recordings/:id/status` answers. */
export function toStatusDto(r: Recording): RecordingStatusDto {
  return {
    id: r.id,
    status: r.status,
    sizeBytes: r.sizeBytes,
    durationMs: r.durationMs,
    updatedAt: r.updatedAt.toISOString(),
  }
}
