import { DEFAULT_CONFIG, type Recording, type RecordingConfig } from './recording.js'

export interface NewRecordingInput {
  readonly id: string
  readonly userId: string
  readonly sessionId: string
  readonly config?: Partial<RecordingConfig> | undefined
  readonly now: Date
}

/** A recording as `start` creates it, with its config defaults filled in. */
export function newRecording({ id, userId, sessionId, config, now }: NewRecordingInput): Recording {
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
export const startFingerprint = (recording: Recording): string =>
  JSON.stringify([recording.sessionId, recording.config.quality, recording.config.format])
