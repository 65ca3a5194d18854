import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http'

/** What @hono/node-server 1.x writes on every response that has no Content-Type of its own. */
const NODE_SERVER_DEFAULT = 'text/plain; charset=UTF-8'

/**
 * A node:http response that sends no Content-Type on a response without content: 204, 304, and a
 * HEAD whose handler set none (SPEC §9). @hono/node-server adds `text/plain` to every response
 * lacking one, null bodies included, and offers no option against it; its writeHead is where the
 * headers meet, so this is where they are put right. Pass it as `serverOptions.ServerResponse`.
 */
export class StrictServerResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    const headers = rest.find(
      (arg): arg is OutgoingHttpHeaders => typeof arg === 'object' && arg !== null && !Array.isArray(arg),
    )
    if (this.#withoutContent(statusCode, headers)) {
      for (const name of Object.keys(headers ?? {})) {
        if (name.toLowerCase() === 'content-type') delete headers?.[name]
      }
      this.removeHeader('content-type')
    }
    return super.writeHead(statusCode, ...(rest as [OutgoingHttpHeaders]))
  }

  #withoutContent(statusCode: number, headers: OutgoingHttpHeaders | undefined): boolean {
    if (statusCode === 204 || statusCode === 304 || statusCode < 200) return true
    // A 201 without a body (tus creation) gets the default too; a JSON 201 names its own type.
    if (this.req.method !== 'HEAD' && statusCode !== 201) return false
    const type = headers?.['content-type'] ?? this.getHeader('content-type')
    return type === NODE_SERVER_DEFAULT
  }
}
