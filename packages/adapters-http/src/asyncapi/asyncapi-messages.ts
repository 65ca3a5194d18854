const recording = { $ref: '#/components/schemas/Recording' }
const offset = { type: 'integer', minimum: 0 }

const EXAMPLE_RECORDING = {
  id: '0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11',
  sessionId: '6a3c9a4e-6a51-4d1d-8f3a-2b7f3d0c9e11',
  userId: '8d2f0e6c-1a11-4c4e-9a51-0b7e8f6c3c1e',
  status: 'completed',
  config: { quality: 'high', format: 'webm' },
  sizeBytes: 1048576,
  durationMs: 8000,
  checksum: 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  stopReason: 'client',
  failureReason: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  stoppedAt: '2026-01-01T00:00:08.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:08.000Z',
}

const STREAM_ERROR_CODES = [
  'BAD_MESSAGE',
  'UNAUTHORIZED',
  'RECORDING_NOT_FOUND',
  'RECORDING_NOT_RECORDING',
  'INVALID_TRANSITION',
  'OFFSET_MISMATCH',
  'DEPENDENCY_UNAVAILABLE',
  'STORAGE_WRITE_FAILED',
  'INTERNAL',
]

const json = (
  title: string,
  summary: string,
  type: string,
  properties: Record<string, unknown>,
  example: Record<string, unknown>,
) => ({
  name: type,
  title,
  summary,
  contentType: 'application/json',
  payload: {
    type: 'object',
    required: ['type', ...Object.keys(properties)],
    properties: { type: { type: 'string', const: type }, ...properties },
  },
  examples: [{ name: type, payload: { type, ...example } }],
})

/** The WebSocket messages of SPEC §6 and §7, as AsyncAPI 3 message objects. */
export function asyncApiMessages(): Record<string, unknown> {
  return {
    media: {
      name: 'media',
      title: 'Media bytes',
      summary: 'A binary frame: the next bytes of the recording (client → service)',
      contentType: 'application/octet-stream',
      payload: { type: 'string', format: 'binary' },
    },
    stop: json('Stop', 'Store the rest and complete the recording (client → service)', 'stop', {}, {}),
    ready: json(
      'Ready',
      'Sent on open: `offset` bytes are stored; the client sends from there (service → client)',
      'ready',
      { offset },
      { offset: 0 },
    ),
    ack: json(
      'Acknowledgement',
      'Every byte below `offset` is stored; at least every 250 ms while data flows, and before `completed`',
      'ack',
      { offset },
      { offset: 1048576 },
    ),
    completed: json(
      'Completed',
      'The recording completed (stop, or a limit); close 1000 follows',
      'completed',
      { recording },
      { recording: EXAMPLE_RECORDING },
    ),
    error: json(
      'Error',
      'A failure; the close code follows (see the channel)',
      'error',
      { code: { type: 'string', enum: STREAM_ERROR_CODES }, message: { type: 'string' } },
      { code: 'UNAUTHORIZED', message: 'a valid token is required' },
    ),
    eventsReady: json('Subscribed', 'The subscription is live: later changes will be sent', 'ready', {}, {}),
    recordingUpdated: json(
      'Recording updated',
      'A state change, or progress at most once a second, of one of the caller’s recordings',
      'recording.updated',
      { recording },
      { recording: EXAMPLE_RECORDING },
    ),
  }
}
