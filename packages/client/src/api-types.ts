import type { components, paths } from './api-types.gen.js'

/** A recording (SPEC §4), as the served OpenAPI document describes it. */
export type Recording = components['schemas']['Recording']
/** `GET /recordings/:id/status`. */
export type RecordingStatus = components['schemas']['RecordingStatus']
/** `GET /recordings`: `{ data, pagination }`. */
export type RecordingPage = components['schemas']['RecordingPage']
/**
 * `POST /recordings/start` body. The document has one RecordingConfig for requests and responses,
 * with defaults (so required in answers); a request may leave either field out.
 */
export type StartRecording = Omit<components['schemas']['StartRecording'], 'config'> & {
  config?: Partial<components['schemas']['RecordingConfig']>
}
/** `config` of a recording: quality and format. */
export type RecordingConfig = components['schemas']['RecordingConfig']
/** Query of `GET /recordings`. */
export type ListQuery = NonNullable<paths['/api/v1/recordings']['get']['parameters']['query']>
/** An RFC 9457 problem body. */
export type Problem = components['schemas']['Problem']

/** `POST /recordings/:id/playback-url` (SPEC §10): `{ url, expiresAt }`. */
export type PlaybackUrl = components['schemas']['PlaybackUrl']
