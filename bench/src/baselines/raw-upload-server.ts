import { createWriteStream, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

/**
 * The HTTP ingest ceiling: `PATCH /uploads/<id>` with `Upload-Offset` appends the body to a file
 * (`node:http` and `fs.createWriteStream`, nothing else: no framework, auth, database, hashing or
 * fsync). The offset is checked against the size kept in memory, as a tus server would (409 with
 * the current offset); 204 carries the new `Upload-Offset`. Any other request answers 200.
 */
const port = Number(process.env.PORT ?? 0)
const dir = process.env.DATA_DIR ?? '/tmp/raw-upload'
mkdirSync(dir, { recursive: true })
const sizes = new Map<string, number>()

const server = createServer((req, res) => {
  if (req.method !== 'PATCH') {
    res.end('{}')
    return
  }
  const id =
    (req.url ?? '')
      .split('/')
      .pop()
      ?.replace(/[^\w-]/g, '') || 'x'
  const stored = sizes.get(id) ?? 0
  if (Number(req.headers['upload-offset']) !== stored) {
    res.writeHead(409, { 'upload-offset': String(stored), connection: 'close' }).end()
    return
  }
  const file = createWriteStream(join(dir, id), { flags: 'a' })
  pipeline(req, file).then(
    () => {
      const size = stored + file.bytesWritten
      sizes.set(id, size)
      res.writeHead(204, { 'upload-offset': String(size) }).end()
    },
    () => {
      sizes.set(id, stored + file.bytesWritten)
      if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end()
    },
  )
})
server.listen(port, '127.0.0.1')
process.on('SIGTERM', () => process.exit(0))
