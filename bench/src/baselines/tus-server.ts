import { createServer } from 'node:http'
import { join } from 'node:path'
import { FileStore } from '@tus/file-store'
import { Server } from '@tus/server'

/**
 * The tus peer: `@tus/server` with `@tus/file-store` in their default configuration (the
 * README's standalone server), on `/files`. `/health` answers 200 so the runner can wait for it.
 */
const port = Number(process.env.PORT ?? 0)
const tus = new Server({
  path: '/files',
  datastore: new FileStore({ directory: join(process.env.DATA_DIR ?? '/tmp/tus-files', 'files') }),
})
const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.end('{}')
    return
  }
  void tus.handle(req, res)
})
server.listen(port, '127.0.0.1')
process.on('SIGTERM', () => process.exit(0))
