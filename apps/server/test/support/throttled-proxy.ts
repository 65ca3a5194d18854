import type { AddressInfo } from 'node:net'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A TCP proxy to 127.0.0.1:`port` that carries the client's bytes at most `bytesPerSecond`, like
 * a slow uplink: a client on localhost otherwise sends 20 MiB between two of its progress events,
 * and a test cannot stop it part-way. Answers come back unthrottled. A target that is down (killed)
 * makes the proxy drop the client's connection, as a real network would.
 */
export async function startThrottledProxy(
  port: number,
  bytesPerSecond: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    upstream.pipe(client)
    void forward(client, upstream, bytesPerSecond).catch(() => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function forward(from: Socket, to: Socket, bytesPerSecond: number): Promise<void> {
  const started = Date.now()
  let sent = 0
  for await (const chunk of from as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.byteLength; at += 16 * 1024) {
      const part = chunk.subarray(at, at + 16 * 1024)
      sent += part.byteLength
      const wait = started + (sent / bytesPerSecond) * 1000 - Date.now()
      if (wait > 0) await sleep(wait)
      if (to.destroyed) return
      if (!to.write(part)) await new Promise((resolve) => to.once('drain', resolve))
    }
  }
  to.end()
}
