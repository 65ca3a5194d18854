import { createRoute, z } from '@hono/zod-openapi'
import { problem } from '../schemas/common-schemas.js'
import { IdParamsSchema } from '../schemas/request-schemas.js'

const tags = ['streaming']
const WS_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { queryToken: [] }]

const UpgradeHeadersSchema = z.object({
  upgrade: z.literal('websocket'),
  connection: z.string().openapi({ example: 'Upgrade' }),
  'sec-websocket-key': z.string().openapi({ example: 'dGhlIHNhbXBsZSBub25jZQ==' }),
  'sec-websocket-version': z.literal('13'),
})

const TokenQuerySchema = z.object({
  token: z.string().optional().openapi({
    description: 'The JWT, for browsers (which cannot set Authorization on a WebSocket); never logged',
  }),
})

const switching = (what: string) => ({
  description: `Switching Protocols: ${what}. Messages: /asyncapi.json. A bad token is not a 401 here: the socket opens, gets an error frame and closes 4401, which a browser can read.`,
  headers: {
    Upgrade: { schema: { type: 'string' as const, example: 'websocket' } },
    Connection: { schema: { type: 'string' as const, example: 'Upgrade' } },
    'Sec-WebSocket-Accept': { schema: { type: 'string' as const } },
  },
})

const UPGRADE_PROBLEMS = {
  405: problem('A GET that is not a WebSocket upgrade (METHOD_NOT_ALLOWED)'),
  429: problem('Rate limit exceeded (RATE_LIMITED), see Retry-After'),
}

export const streamDoc = createRoute({
  method: 'get',
  path: '/api/v1/recordings/{id}/stream',
  operationId: 'openRecordingStream',
  tags,
  security: WS_SECURITY,
  summary: 'WebSocket ingest of a recording (SPEC §6)',
  description:
    'Binary frames are media bytes appended in order; text frames are JSON control messages (`stop`). The server sends `ready` (offset to resume from), `ack` (every byte below is stored, at least every 250 ms while data flows), `completed`, `error`. Frames over MAX_FRAME_BYTES close 1009; a second stream of the owner takes over (the first closes 4000). Close codes: 1000 completed, 1001 server shutting down, 1009 frame too big, 1011 storage failed, 1013 database unavailable, 4000 taken over, 4400 bad message, 4401 auth, 4404 not found, 4409 not recording.',
  request: { params: IdParamsSchema, query: TokenQuerySchema, headers: UpgradeHeadersSchema },
  responses: { 101: switching('media in, acknowledgements out'), ...UPGRADE_PROBLEMS },
})

export const eventsDoc = createRoute({
  method: 'get',
  path: '/api/v1/events',
  operationId: 'openEventStream',
  tags,
  security: WS_SECURITY,
  summary: "Live events of the caller's recordings (SPEC §7)",
  description:
    '`ready` once subscribed, then `recording.updated` on each state change and at most once a second of progress. A subscriber too far behind is closed 1013.',
  request: { query: TokenQuerySchema, headers: UpgradeHeadersSchema },
  responses: { 101: switching('events out'), ...UPGRADE_PROBLEMS },
})
