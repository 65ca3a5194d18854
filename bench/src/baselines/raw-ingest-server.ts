import { createWriteStream, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'

/**
 * The ingest ceiling: the same stream protocol as the service (ready, ack, stop, completed) on
 * bare `ws` and `fs.createWriteStream`, with no framework, auth, database or hashing. Acks follow
 * the service's policy (at most one per 5 ms once bytes are written) so latencies compare.
 */
const port = Number(process.env.PORT ?? 0)
const dir = process.env.DATA_DIR ?? '/tmp/raw-ingest'
const ACK_GAP_MS = 5
mkdirSync(dir, { recursive: true })

// Plain HTTP answers 200 so the runner can wait for it like for the other servers.
const http = createServer((_req, res) => res.end('{}'))
const wss = new WebSocketServer({ server: http, maxPayload: 1024 * 1024 })
wss.on('connection', (ws, req) => {
  const id =
    (req.url ?? '')
      .split('/')
      .pop()
      ?.replace(/[^\w-]/g, '') || 'x'
  const file = createWriteStream(join(dir, id))
  let written = 0
  let acked = 0
  let lastAckAt = 0
  let ackTimer: ReturnType<typeof setTimeout> | null = null
  const sendAck = (): void => {
    ackTimer = null
    if (written === acked || ws.readyState !== ws.OPEN) return
    acked = written
    lastAckAt = Date.now()
    ws.send(JSON.stringify({ type: 'ack', offset: written }))
  }
  const scheduleAck = (): void => {
    if (ackTimer) return
    const wait = lastAckAt + ACK_GAP_MS - Date.now()
    if (wait <= 0) sendAck()
    else ackTimer = setTimeout(sendAck, wait)
  }
  file.on('drain', () => ws.resume())
  ws.on('message', (data, isBinary) => {
    if (isBinary && Buffer.isBuffer(data)) {
      const size = data.byteLength
      const more = file.write(data, () => {
        written += size
        scheduleAck()
      })
      if (!more) ws.pause()
      return
    }
    if (String(data).includes('"stop"')) {
      file.end(() => {
        if (ackTimer) clearTimeout(ackTimer)
        sendAck()
        ws.send(JSON.stringify({ type: 'completed', recording: { id, sizeBytes: written } }))
        ws.close(1000, 'completed')
      })
    }
  })
  ws.on('close', () => {
    if (!file.closed) file.end()
  })
  ws.send(JSON.stringify({ type: 'ready', offset: 0 }))
})
http.listen(port, '127.0.0.1')
process.on('SIGTERM', () => process.exit(0))
