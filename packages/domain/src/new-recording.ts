import { DEFAULT_CONFIG, type Recording, type RecordingConfig } from './recording.js'

export interface NewRecordingInput {
  readonly id: string
  readonly userId: string
  readonly sessionId: string
  readonly config?: Partial<RecordingConfig> | undefined
  readonly name?: string | null | undefined
  readonly uploadLength?: number | null | undefined
  readonly now: Date
}

/** A recording as `start` creates it, with its config defaults filled in. */
export function newRecording(input: NewRecordingInput): Recording {
  const { id, userId, sessionId, config, now } = input
  return {
    id,
    sessionId,
    userId,
    status: 'recording',
    config: { ...DEFAULT_CONFIG, ...config },
    sizeBytes: 0,
    durationMs: null,
    checksum: null,
    stopReason: null,
    failureReason: null,
    name: input.name ?? null,
    uploadLength: input.uploadLength ?? null,
    startedAt: now,
    stoppedAt: null,
    lastActivityAt: now,
    createdAt: now,
    updatedAt: now,
    media: null,
    seekable: null,
  }
}

/** What makes two start requests the same request, for Idempotency-Key replays. */
export function startFingerprint(recording: Recording): string {
  const base = [recording.sessionId, recording.config.quality, recording.config.format]
  // Appended only for uploads, so claims recorded before these fields existed still match.
  const upload = recording.name !== null || recording.uploadLength !== null
  return JSON.stringify(upload ? [...base, recording.name, recording.uploadLength] : base)
}
