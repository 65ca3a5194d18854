import { z } from '@hono/zod-openapi'
import type { DocumentedLimits } from '../openapi/document-info.js'
import { RecordingSchema } from '../schemas/recording-schema.js'
import { asyncApiMessages } from './asyncapi-messages.js'

export interface AsyncApiOptions {
  readonly limits: DocumentedLimits
  /** PUBLIC_URL; null: the host the document was asked from, over `ws`. */
  readonly publicUrl: string | null
  readonly host: string
}

const ref = (path: string) => ({ $ref: path })

/** JSON Schema (draft 7, which AsyncAPI schemas extend) of the wire recording, from its zod schema. */
function recordingJsonSchema(): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(RecordingSchema, { target: 'draft-7', io: 'output' })
  return schema
}

const STREAM_DESCRIPTION = `Real-time ingest of one recording (SPEC §6). The client sends media as binary frames, in order, from the \`ready\` offset on; text frames are JSON control messages. The service sends text JSON frames only.

Close codes: 1000 completed (after \`completed\`), 1001 the service is shutting down (resume elsewhere), 1009 a frame over MAX_FRAME_BYTES, 1011 storage failed, 1013 the database is unavailable (retry with backoff), 4000 taken over by a newer stream of the owner (do not retry), 4400 bad message, 4401 auth, 4404 not found (or not yours), 4409 not \`recording\`. Keepalive: a ping every 30 s; a peer that misses two is dropped.`

/**
 * `GET /asyncapi.json`: the WebSocket messages of `/api/v1/recordings/{id}/stream` and
 * `/api/v1/events`, described from the service's side (it receives media and `stop`, and sends
 * `ready`, `ack`, `completed`, `error`, `recording.updated`).
 */
export function asyncApiDocument({ limits, publicUrl, host }: AsyncApiOptions): Record<string, unknown> {
  const url = publicUrl ? new URL(publicUrl) : null
  const security = [
    ref('#/components/securitySchemes/bearer'),
    ref('#/components/securitySchemes/queryToken'),
  ]
  const channelMessages = (names: readonly string[], prefix = '') =>
    Object.fromEntries(names.map((name) => [name, ref(`#/components/messages/${prefix}${name}`)]))
  const operation = (action: 'send' | 'receive', channel: string, message: string, summary: string) => ({
    action,
    summary,
    channel: ref(`#/channels/${channel}`),
    messages: [ref(`#/channels/${channel}/messages/${message}`)],
  })
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Recording ingest service: WebSockets',
      version: '1.0.0',
      description: `The WebSocket side of the recording service, seen from the service. REST: /openapi.json. Frames over ${limits.maxFrameBytes ?? 'MAX_FRAME_BYTES'} bytes close 1009.`,
    },
    defaultContentType: 'application/json',
    servers: {
      service: {
        host: url?.host ?? host,
        protocol: url?.protocol === 'https:' ? 'wss' : 'ws',
        description: 'The service itself; the upgrade goes through the /api/v1 rate limit',
        security,
      },
    },
    channels: {
      recordingStream: {
        address: '/api/v1/recordings/{id}/stream',
        title: 'Recording ingest',
        description: STREAM_DESCRIPTION,
        parameters: { id: { description: 'The recording id (a UUID) from POST /api/v1/recordings/start' } },
        messages: channelMessages(['media', 'stop', 'ready', 'ack', 'completed', 'error']),
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              properties: { token: { type: 'string', description: 'The JWT, for browsers; never logged' } },
            },
          },
        },
      },
      events: {
        address: '/api/v1/events',
        title: 'Live recording events',
        description:
          "The caller's recording updates (SPEC §7): `ready` once subscribed, then `recording.updated` on each state change and at most once a second of progress, whichever instance handled it. A subscriber too far behind is closed 1013; a bad token gets `error` and close 4401.",
        messages: {
          ready: ref('#/components/messages/eventsReady'),
          recordingUpdated: ref('#/components/messages/recordingUpdated'),
          error: ref('#/components/messages/error'),
        },
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              properties: { token: { type: 'string', description: 'The JWT, for browsers' } },
            },
          },
        },
      },
    },
    operations: {
      receiveMedia: operation('receive', 'recordingStream', 'media', 'Media bytes, appended in order'),
      receiveStop: operation(
        'receive',
        'recordingStream',
        'stop',
        'Complete the recording after storing the rest',
      ),
      sendReady: operation('send', 'recordingStream', 'ready', 'Bytes already stored: send from here on'),
      sendAck: operation('send', 'recordingStream', 'ack', 'Every byte below `offset` is stored'),
      sendCompleted: operation(
        'send',
        'recordingStream',
        'completed',
        'The recording completed; close 1000 follows',
      ),
      sendStreamError: operation('send', 'recordingStream', 'error', 'A failure; the close follows'),
      sendEventsReady: operation('send', 'events', 'ready', 'Subscribed: later changes will be sent'),
      sendRecordingUpdated: operation(
        'send',
        'events',
        'recordingUpdated',
        'A recording of the caller changed',
      ),
      sendEventsError: operation('send', 'events', 'error', 'A failure; the close follows'),
    },
    components: {
      messages: asyncApiMessages(),
      schemas: { Recording: recordingJsonSchema() },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Authorization: Bearer <JWT>',
        },
        queryToken: { type: 'httpApiKey', in: 'query', name: 'token', description: 'The JWT as ?token=' },
      },
    },
  }
}
