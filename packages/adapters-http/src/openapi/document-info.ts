import type { OpenApiDocument } from './document-types.js'

/** The limits the served documents state, with the values this instance runs with. */
export interface DocumentedLimits {
  readonly maxRecordingBytes: number
  readonly maxRecordingDurationS: number
  readonly idleTimeoutS: number
  readonly jsonBodyBytes: number
  readonly maxFrameBytes?: number | undefined
  readonly rateLimitPerMinute?: number | undefined
  readonly playbackUrlTtlS?: number | undefined
}

const LIMIT_ROWS: readonly [keyof DocumentedLimits, string, string][] = [
  ['maxRecordingBytes', 'MAX_RECORDING_BYTES', 'bytes per recording; reaching it completes the recording'],
  ['maxRecordingDurationS', 'MAX_RECORDING_DURATION_S', 'seconds per recording; reaching it completes it'],
  ['idleTimeoutS', 'IDLE_TIMEOUT_S', 'seconds without a connection or data before an auto-stop'],
  ['jsonBodyBytes', '-', 'bytes of a JSON request body (413 above); media bodies are not limited by it'],
  ['maxFrameBytes', 'MAX_FRAME_BYTES', 'bytes of one WebSocket frame (close 1009 above)'],
  [
    'rateLimitPerMinute',
    'RATE_LIMIT_PER_MIN',
    'requests per user (per address before auth) per minute on /api/v1',
  ],
  ['playbackUrlTtlS', 'PLAYBACK_URL_TTL_S', 'seconds a playback URL works'],
]

function limitsTable(limits: DocumentedLimits): string {
  const rows = LIMIT_ROWS.filter(([key]) => limits[key] !== undefined).map(
    ([key, variable, meaning]) => `| ${variable} | ${limits[key]} | ${meaning} |`,
  )
  return ['| setting | value | meaning |', '|---|---|---|', ...rows].join('\n')
}

const DESCRIPTION = `Recording ingest: start a recording, stream its media over WebSocket (or upload it with tus / PATCH), stop it, then list, download, play and delete it.

**Errors** are RFC 9457 problem details (\`application/problem+json\`): \`type\`, \`title\`, \`status\`, \`detail\`, a stable UPPER_SNAKE \`code\`, \`requestId\`, and \`errors: [{path, message}]\` for validation. A recording of another user is 404, never 403.

**Auth**: \`Authorization: Bearer <JWT>\` (HS256 with JWT_SECRET, or RS256/PS256/ES256/EdDSA from JWKS_URL); \`sub\` is the user id. WebSocket upgrades may send \`?token=\` instead. Playback URLs carry a signature, no JWT.

**Headers on every response**: \`X-Request-Id\`; on /api/v1 also \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` (and \`Retry-After\` with 429). JSON bodies of 1 KiB or more are compressed by \`Accept-Encoding\` (gzip, deflate; \`Vary: Accept-Encoding\`); media never is.

**CORS** (CORS_ORIGINS): preflights allow \`Authorization\`, \`Content-Type\`, \`Upload-Offset\`, \`Idempotency-Key\`, \`X-Request-Id\` and expose \`Upload-Offset\`, \`X-Request-Id\`, \`RateLimit-*\`, \`Retry-After\`, \`Location\`, \`Content-Range\`, \`ETag\`, \`Accept-Ranges\`, \`Content-Disposition\`. Playback URLs answer \`Access-Control-Allow-Origin: *\`.`

/** Title, description with this instance's limits, servers and tags of the OpenAPI document. */
export function documentInfo(
  limits: DocumentedLimits,
  publicUrl: string | null,
): Pick<OpenApiDocument, 'info' | 'servers' | 'tags'> & { openapi: string } {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Recording ingest service',
      version: '1.0.0',
      description: `${DESCRIPTION}\n\n**Limits** of this instance:\n\n${limitsTable(limits)}`,
      license: { name: 'Proprietary' },
      'x-limits': { ...limits },
    },
    servers: [
      publicUrl
        ? { url: publicUrl.replace(/\/+$/, ''), description: 'This service (PUBLIC_URL)' }
        : { url: '/', description: 'The origin this document was served from' },
    ],
    tags: [
      { name: 'health', description: 'Liveness and readiness probes (no auth, no rate limit)' },
      { name: 'recordings', description: 'Start, stop, inspect, list and delete recordings' },
      { name: 'content', description: 'Download media, and the HTTP ingest (PATCH at Upload-Offset)' },
      { name: 'uploads', description: 'Resumable uploads with tus 1.0.0 (tus-js-client, Uppy)' },
      { name: 'playback', description: 'Signed, expiring URLs for players that cannot send Authorization' },
      { name: 'streaming', description: 'WebSocket ingest and live events; messages in /asyncapi.json' },
      { name: 'operations', description: 'Metrics and the API documents' },
    ],
  }
}
