import type {
  ListQuery,
  PlaybackUrl,
  Recording,
  RecordingPage,
  RecordingStatus,
  StartRecording,
} from './api-types.js'
import type { Transport } from './transport.js'

/** The REST calls on recordings (SPEC §5, §10); each failure is a thrown ProblemError. */
export interface RecordingsApi {
  /** `POST /recordings/start`; `idempotencyKey` makes a retry return the first answer. */
  start(body: StartRecording, options?: { idempotencyKey?: string }): Promise<Recording>
  get(id: string): Promise<Recording>
  status(id: string): Promise<RecordingStatus>
  /** Newest first; `{ data, pagination }`. */
  list(query?: ListQuery): Promise<RecordingPage>
  /** Completes the recording once every accepted byte is stored. */
  stop(id: string): Promise<Recording>
  delete(id: string): Promise<void>
  /** A signed URL a `<video src>` can play without `Authorization` (SPEC §10). */
  playbackUrl(id: string): Promise<PlaybackUrl>
}

export function recordingsApi(transport: Transport): RecordingsApi {
  const path = (id: string, rest = '') => `/recordings/${encodeURIComponent(id)}${rest}`
  return {
    start: (body, options = {}) =>
      transport.json<Recording>('/recordings/start', {
        method: 'POST',
        json: body,
        headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
      }),
    get: (id) => transport.json<Recording>(path(id)),
    status: (id) => transport.json<RecordingStatus>(path(id, '/status')),
    list: (query = {}) => transport.json<RecordingPage>('/recordings', { query }),
    stop: (id) => transport.json<Recording>(path(id, '/stop'), { method: 'POST' }),
    delete: async (id) => {
      await transport.fetch(path(id), { method: 'DELETE' })
    },
    playbackUrl: (id) => transport.json<PlaybackUrl>(path(id, '/playback-url'), { method: 'POST' }),
  }
}
