import type { Recording, StartRecording } from './api-types.js'
import type { BackoffOptions } from './backoff.js'
import { type EventsOptions, type EventsSubscription, subscribeEvents } from './events.js'
import { MediaRecorderSource } from './media-recorder-source.js'
import { RecordSession } from './record-session.js'
import { type RecordingsApi, recordingsApi } from './recordings-api.js'
import { IterableSource, isMediaStream, type MediaStreamLike } from './sources.js'
import { type ClientOptions, Transport } from './transport.js'
import { type UploadOptions, uploadOverTus } from './upload.js'
import type { UploadBody } from './upload-source.js'

export interface RecordOptions {
  readonly sessionId: string
  readonly config?: StartRecording['config']
  /** MediaRecorder chunk interval (default 250 ms). */
  readonly timesliceMs?: number
  /** Most bytes held while waiting for acks (default 64 MiB). A MediaStream past it fails with BUFFER_FULL; an iterable is simply read no further until acks free room. */
  readonly maxBufferedBytes?: number
  /** Largest WebSocket frame sent (default 256 KiB, below the server's MAX_FRAME_BYTES). */
  readonly maxFrameBytes?: number
  readonly backoff?: BackoffOptions
  /** MediaRecorder MIME type; default the first the browser supports for `config.format`. */
  readonly mimeType?: string
  /** Sent as `Idempotency-Key` on the start request. */
  readonly idempotencyKey?: string
}

export interface Client {
  readonly recordings: RecordingsApi
  /**
   * Starts a recording and streams `source` to it, resuming across drops.
   * @example
   * const session = client.record(await navigator.mediaDevices.getUserMedia({ video: true, audio: true }), { sessionId })
   * session.on('progress', ({ ackedBytes }) => console.log(ackedBytes))
   * const recording = await session.stop()
   */
  record(
    source: MediaStreamLike | AsyncIterable<Uint8Array | ArrayBuffer>,
    options: RecordOptions,
  ): RecordSession
  /**
   * Uploads a file, Blob, stream or bytes over tus; resolves with the completed recording.
   * @example
   * const recording = await client.upload(input.files[0], { sessionId })
   */
  upload(body: UploadBody, options: UploadOptions): Promise<Recording>
  /**
   * Live `recording.updated` events, reconnecting by itself.
   * @example
   * const sub = client.events({ onUpdate: (r) => console.log(r.id, r.status) }); sub.close()
   */
  events(options: EventsOptions): EventsSubscription
}

/**
 * The SDK's entry point.
 * @example
 * const client = createClient({ baseUrl: 'https://rec.example.com', getToken: () => auth.token() })
 * const page = await client.recordings.list({ limit: 10 })
 */
export function createClient(options: ClientOptions): Client {
  const transport = new Transport(options)
  const recordings = recordingsApi(transport)
  return {
    recordings,
    record(source, recordOptions) {
      const format = recordOptions.config?.format ?? 'webm'
      const byteSource = isMediaStream(source)
        ? new MediaRecorderSource(source, {
            timesliceMs: recordOptions.timesliceMs ?? 250,
            format,
            ...(recordOptions.mimeType ? { mimeType: recordOptions.mimeType } : {}),
          })
        : new IterableSource(source)
      const start = recordings.start(
        {
          sessionId: recordOptions.sessionId,
          ...(recordOptions.config ? { config: recordOptions.config } : {}),
        },
        recordOptions.idempotencyKey ? { idempotencyKey: recordOptions.idempotencyKey } : {},
      )
      return new RecordSession(transport, byteSource, start, {
        maxBufferedBytes: recordOptions.maxBufferedBytes ?? 64 * 1024 * 1024,
        maxFrameBytes: recordOptions.maxFrameBytes ?? 256 * 1024,
        backoff: recordOptions.backoff ?? {},
      })
    },
    upload: (body, uploadOptions) => uploadOverTus(transport, body, uploadOptions),
    events: (eventsOptions) => subscribeEvents(transport, eventsOptions),
  }
}
