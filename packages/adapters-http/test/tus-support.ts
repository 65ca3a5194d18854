import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { EmptyBodyResponse } from '../src/middleware/empty-body-response.js'
import type { Harness } from './harness.js'

/** A tus request's headers: the version, a bearer token, and whatever else is given. */
export const tusHeaders = (auth: Record<string, string>, more: Record<string, string> = {}) => ({
  'Tus-Resumable': '1.0.0',
  ...auth,
  ...more,
})

export const metadata = (pairs: Record<string, string>): string =>
  Object.entries(pairs)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',')

/** Serves the harness's app on a real socket; `close` ends it and its connections. */
export async function listen(h: Harness): Promise<{ base: string; close: () => Promise<void> }> {
  const server: ServerType = serve({
    fetch: h.app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    serverOptions: { ServerResponse: EmptyBodyResponse },
  })
  await new Promise<void>((resolve) =>
    server.listening ? resolve() : server.once('listening', () => resolve()),
  )
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      if ('closeAllConnections' in server) server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
