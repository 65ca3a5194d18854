import { TestSocket } from './ws-client.js'

/** Deterministic media for a recording: byte i depends on i and the seed. */
export const mediaBytes = (size: number, seed: number): Uint8Array =>
  new Uint8Array(size).map((_, i) => (i * 31 + (i >> 10) + seed) & 0xff)

/**
 * Streams `bytes` into a recording from `from` on, in `frame`-sized binary frames, as fast as the
 * socket drains (or paced by `pauseMs` between frames), until every byte is sent or the socket closes. Never throws on a closed socket:
 * the caller reads what was acked.
 */
export async function pump(
  socket: TestSocket,
  bytes: Uint8Array,
  from: number,
  { frame = 64 * 1024, pauseMs = 0 }: { frame?: number; pauseMs?: number } = {},
): Promise<number> {
  let sent = from
  while (sent < bytes.byteLength && socket.socket.readyState === socket.socket.OPEN) {
    while (socket.socket.bufferedAmount > 8 * frame) await new Promise((r) => setTimeout(r, 2))
    const end = Math.min(sent + frame, bytes.byteLength)
    socket.socket.send(bytes.subarray(sent, end))
    sent = end
    // Yield so acks and close frames are seen while sending; a pause paces a real-time client.
    await new Promise((r) => (pauseMs > 0 ? setTimeout(r, pauseMs) : setImmediate(r)))
  }
  return sent
}

/** Resumes a recording from the server's `ready` offset, sends the rest and stops it; resolves the completed frame. */
export async function resumeAndFinish(url: string, bytes: Uint8Array, minOffset: number) {
  const socket = new TestSocket(url)
  const ready = await socket.ofType('ready')
  const offset = ready.offset ?? -1
  if (offset < minOffset) throw new Error(`ready offset ${offset} is below the last ack ${minOffset}`)
  for (let at = offset; at < bytes.byteLength; at += 64 * 1024) {
    await socket.send(bytes.subarray(at, Math.min(at + 64 * 1024, bytes.byteLength)))
  }
  await socket.send(JSON.stringify({ type: 'stop' }))
  const completed = await socket.ofType('completed')
  return { offset, completed, closed: await socket.closed }
}
