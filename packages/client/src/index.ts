export type {
  ListQuery,
  PlaybackUrl,
  Problem,
  Recording,
  RecordingConfig,
  RecordingPage,
  RecordingStatus,
  StartRecording,
} from './api-types.js'
export { type BackoffOptions, backoffDelay, isFinalClose } from './backoff.js'
export { type Client, createClient, type RecordOptions } from './create-client.js'
export type { EventsOptions, EventsSubscription } from './events.js'
export { ProblemError } from './problem-error.js'
export { RecordError } from './record-error.js'
export type { RecordSession } from './record-session.js'
export type { RecordEvents, RecordState } from './record-types.js'
export type { RecordingsApi } from './recordings-api.js'
export type { SocketConstructor } from './socket.js'
export type { MediaStreamLike } from './sources.js'
export type { ClientOptions } from './transport.js'
export type { UploadOptions } from './upload.js'
export type { UploadBody } from './upload-source.js'
