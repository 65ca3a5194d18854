import {
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http'

/** What @hono/node-server writes when a response names no Content-Type, body or not. */
const NODE_SERVER_DEFAULT = 'text/plain; charset=UTF-8'

type HeaderArg = OutgoingHttpHeaders | OutgoingHttpHeader[]

/**
 * A node:http response that leaves the default `text/plain` Content-Type off empty answers (201 without a body, 204,
 * 304 and HEAD; SPEC §9): @hono/node-server adds it to every response without one. A Content-Type a
 * handler chose (a HEAD's media type) stays. Use as `serve({ serverOptions: { ServerResponse:
 * EmptyBodyResponse } })`.
 */
export class EmptyBodyResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  override writeHead(statusCode: number, reason?: string | HeaderArg, headers?: HeaderArg): this {
    const named = typeof reason === 'string' ? headers : reason
    // 201 too: this API's created answers have a JSON body, or none at all (tus creation).
    const empty = statusCode === 201 || statusCode === 204 || statusCode === 304 || this.req.method === 'HEAD'
    if (empty && named && !Array.isArray(named) && named['content-type'] === NODE_SERVER_DEFAULT) {
      delete named['content-type']
    }
    return typeof reason === 'string'
      ? super.writeHead(statusCode, reason, headers)
      : super.writeHead(statusCode, reason)
  }
}
