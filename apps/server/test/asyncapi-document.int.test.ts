import { Parser } from '@asyncapi/parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { type ServerMessage, TestSocket } from './support/ws-client.js'

const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'

interface Schema {
  type?: string
  const?: string
  enum?: string[]
  required?: string[]
  properties?: Record<string, Schema>
  $ref?: string
}
interface AsyncApi {
  asyncapi: string
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>
  operations: Record<string, { action: string; channel: { $ref: string } }>
  components: {
    messages: Record<string, { payload: Schema; contentType?: string }>
    schemas: Record<string, Schema>
  }
}

describe(`AsyncAPI document served by a real server (${backend})`, () => {
  let server: TestServer
  let text: string
  let doc: AsyncApi
  beforeAll(async () => {
    server = await startTestServer(backend)
    text = await (await fetch(`${server.url}/asyncapi.json`)).text()
    doc = JSON.parse(text) as AsyncApi
  })
  afterAll(async () => {
    await server?.dispose()
  })

  /** The payload schemas of a channel's messages, by their `type`. */
  const payloads = (channel: string): Map<string, Schema> => {
    const found = new Map<string, Schema>()
    for (const { $ref } of Object.values(doc.channels[channel]?.messages ?? {})) {
      const message = doc.components.messages[$ref.split('/').at(-1) ?? '']
      const type = message?.payload.properties?.type?.const
      if (message && type) found.set(type, message.payload)
    }
    return found
  }

  /** Fails unless `message` carries every required field of its documented payload, and no other. */
  function conforms(channel: string, message: ServerMessage): void {
    const schema = payloads(channel).get(message.type)
    expect(schema, `${channel}: ${message.type} is documented`).toBeDefined()
    expect(Object.keys(message).sort()).toEqual([...(schema?.required ?? [])].sort())
    if (message.code) expect(schema?.properties?.code?.enum).toContain(message.code)
    if (message.recording) {
      const recording = doc.components.schemas.Recording
      expect(Object.keys(message.recording).sort()).toEqual(Object.keys(recording?.properties ?? {}).sort())
      expect(recording?.required).toEqual(expect.arrayContaining(Object.keys(message.recording)))
    }
  }

  it('is a valid AsyncAPI 3.0 document (@asyncapi/parser: no error, no warning)', async () => {
    const { document, diagnostics } = await new Parser().parse(text)
    // Severity 0 is an error, 1 a warning; 2 (information: "3.1.0 exists") is no defect.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message}`)).toEqual([])
    expect(document?.version()).toBe('3.0.0')
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(['/api/v1/recordings/{id}/stream', '/api/v1/events'])
    expect(document?.operations().all().length).toBe(Object.keys(doc.operations).length)
  }, 60_000)

  it('documents every message of both sockets; binary media in, JSON out', () => {
    expect([...payloads('recordingStream').keys()].sort()).toEqual([
      'ack',
      'completed',
      'error',
      'ready',
      'stop',
    ])
    expect([...payloads('events').keys()].sort()).toEqual(['error', 'ready', 'recording.updated'])
    expect(doc.components.messages.media).toMatchObject({
      contentType: 'application/octet-stream',
      payload: { type: 'string', format: 'binary' },
    })
    const actions = Object.fromEntries(Object.entries(doc.operations).map(([name, op]) => [name, op.action]))
    expect(actions).toMatchObject({ receiveMedia: 'receive', receiveStop: 'receive', sendAck: 'send' })
  })

  it('matches what a real stream and a real subscription send', async () => {
    const user = crypto.randomUUID()
    const token = await server.token(user)
    const events = new TestSocket(`${server.wsUrl}/api/v1/events?token=${token}`)
    await events.next((m) => m.type === 'ready')
    const { id } = await rest(server, token).start()
    const stream = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
    await stream.next((m) => m.type === 'ready')
    stream.socket.send(new Uint8Array(1000).fill(7))
    await stream.next((m) => m.type === 'ack' && m.offset === 1000)
    stream.socket.send(JSON.stringify({ type: 'stop' }))
    await stream.next((m) => m.type === 'completed')
    expect((await stream.closed).code).toBe(1000)
    await events.next((m) => m.type === 'recording.updated' && m.recording?.status === 'completed')
    events.socket.close()
    for (const message of stream.messages) conforms('recordingStream', message)
    for (const message of events.messages) conforms('events', message)
    expect(new Set(stream.messages.map((m) => m.type))).toEqual(new Set(['ready', 'ack', 'completed']))

    const refused = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=not-a-jwt`)
    await refused.next((m) => m.type === 'error')
    expect((await refused.closed).code).toBe(4401)
    for (const message of refused.messages) conforms('recordingStream', message)
  })
})
