import type { Handler } from 'hono'
import type { AppEnv } from '../env.js'
import { CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_VERSION } from './tus-protocol.js'

/**
 * `OPTIONS` on `/uploads` and on an upload URL (not a CORS preflight, which the CORS middleware
 * answers): what this server supports. Public, like a capability document: it says nothing about
 * any recording.
 */
export function tusOptions(maxBytes: number): Handler<AppEnv> {
  return function tusOptions(c) {
    c.header('Tus-Resumable', TUS_VERSION)
    c.header('Tus-Version', TUS_VERSION)
    c.header('Tus-Extension', TUS_EXTENSIONS)
    c.header('Tus-Max-Size', String(maxBytes))
    c.header('Tus-Checksum-Algorithm', CHECKSUM_ALGORITHMS.join(','))
    return c.body(null, 204)
  }
}
