import type { ChildServer } from './child-server.js'
import type { TakeoverTranscript } from './takeover-transcript.js'
import type { ServerMessage, TestSocket } from './ws-client.js'

const MiB = 1024 * 1024

export interface StreamingUser {
  stream(server: ChildServer, id: string): TestSocket
  content(server: ChildServer, id: string): Promise<Uint8Array>
}

/** Sends `bytes` in frames while the socket is open; a send the server refused is not retried. */
export async function sendAll(socket: TestSocket, bytes: Uint8Array, frame = 64 * 1024): Promise<void> {
  for (let i = 0; i < bytes.byteLength && socket.socket.readyState === 1; i += frame) {
    await socket.send(bytes.subarray(i, i + frame)).catch(() => {})
  }
}

export interface TakeoverOutcome {
  /** A's last ack before B connected. */
  readonly ackedBeforeB: number
  /** A's last ack once it was closed: what A stored, its queue included. */
  readonly ackedByA: number
  readonly closeA: { code: number; reason: string }
  readonly errorA: ServerMessage | undefined
  readonly ready: number
  readonly completed: ServerMessage
  readonly content: Uint8Array
}

/**
 * A streams to `a`; with a burst of frames still arriving there (unacked), a second stream of the
 * owner opens on `b`. Then B sends the rest from its `ready` offset and stops; the content is read
 * from `reader`. Every client event goes into `transcript`.
 */
export async function takeOver(options: {
  readonly user: StreamingUser
  readonly id: string
  readonly a: ChildServer
  readonly b: ChildServer
  readonly reader: ChildServer
  readonly bytes: Uint8Array
  readonly transcript: TakeoverTranscript
}): Promise<TakeoverOutcome> {
  const { user, id, a: serverA, b: serverB, bytes, transcript: t } = options
  const a = user.stream(serverA, id)
  t.note('client A', `ready offset ${(await a.ofType('ready')).offset}`)
  const firstCut = 3 * MiB + 11
  await sendAll(a, bytes.subarray(0, firstCut))
  await a.ackedAtLeast(firstCut)
  t.note('client A', `ack offset ${a.lastAck()} (sent ${firstCut})`)
  // A burst A's instance is still storing when B arrives: frames queued there, not yet acked.
  const burstEnd = Math.min(bytes.byteLength, firstCut + 6 * MiB)
  let sent = firstCut
  const burst = (async () => {
    for (let i = firstCut; i < burstEnd && a.socket.readyState === 1; i += 64 * 1024) {
      await a.send(bytes.subarray(i, Math.min(burstEnd, i + 64 * 1024))).catch(() => {})
      sent = Math.min(burstEnd, i + 64 * 1024)
    }
  })()
  await a.next(() => sent >= firstCut + MiB || a.socket.readyState !== 1).catch(() => undefined)
  const ackedBeforeB = a.lastAck()
  t.note('client B', `connects; client A has sent ${sent}, acked ${ackedBeforeB}`)
  const b = user.stream(serverB, id)
  const closing = a.closed.then((closed) => {
    t.note('client A', `closed ${closed.code} "${closed.reason}"; last ack ${a.lastAck()}, sent ${sent}`)
    return closed
  })
  const ready = (await b.ofType('ready')).offset ?? -1
  t.note('client B', `ready offset ${ready}`)
  const closeA = await closing
  await burst
  const errorA = a.messages.find((m) => m.type === 'error')
  const ackedByA = a.lastAck()
  await sendAll(b, bytes.subarray(ready))
  t.note('client B', `sent ${bytes.byteLength - ready} bytes from ${ready}; stop`)
  await b.send(JSON.stringify({ type: 'stop' }))
  const completed = await b.ofType('completed')
  t.note('client B', `completed sizeBytes ${completed.recording?.sizeBytes}; closed ${(await b.closed).code}`)
  const content = await user.content(options.reader, id)
  t.note(
    'reader',
    `GET content: ${content.byteLength} bytes, identical: ${Buffer.compare(content, bytes) === 0}`,
  )
  return { ackedBeforeB, ackedByA, closeA, errorA, ready, completed, content }
}
