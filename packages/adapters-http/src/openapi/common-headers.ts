import type { Components, OpenApiDocument, Parameter, ResponseEntry } from './document-types.js'
import { operationsOf } from './document-types.js'

const ref = (kind: 'headers' | 'parameters', name: string) => ({ $ref: `#/components/${kind}/${name}` })
const str = { type: 'string' as const }
const int = { type: 'integer' as const, minimum: 0 }

/** Headers every response, or every response of a kind, carries; defined once as components. */
const HEADERS: NonNullable<Components['headers']> = {
  'X-Request-Id': {
    schema: str,
    description:
      "The caller's X-Request-Id when it matches `^[\\w.-]{1,128}$`, else a fresh UUID; also in problems",
  },
  'RateLimit-Limit': { schema: int, description: 'Requests allowed per minute (RATE_LIMIT_PER_MIN)' },
  'RateLimit-Remaining': { schema: int, description: 'Requests left in the current window' },
  'RateLimit-Reset': { schema: int, description: 'Seconds until the quota is full again' },
  'Retry-After': { schema: int, description: 'Seconds to wait before retrying' },
  'WWW-Authenticate': { schema: { ...str, example: 'Bearer' } },
  'Content-Encoding': {
    schema: { ...str, enum: ['gzip', 'deflate'] },
    description: 'JSON bodies of 1 KiB or more, by Accept-Encoding (never media, never problems)',
  },
}

const PARAMETERS: NonNullable<Components['parameters']> = {
  RequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description: 'Echoed in the response and logs when it matches `^[\\w.-]{1,128}$`',
    schema: { ...str, pattern: '^[\\w.-]{1,128}$' },
  },
}

function headersFor(path: string, status: string, response: ResponseEntry): string[] {
  const names = ['X-Request-Id']
  if (path.startsWith('/api/v1/')) names.push('RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset')
  if (status === '429' || (status === '503' && path.startsWith('/api/v1/'))) names.push('Retry-After')
  if (status === '401') names.push('WWW-Authenticate')
  if ('content' in response && response.content?.['application/json']) names.push('Content-Encoding')
  return names
}

/**
 * Adds the cross-cutting headers the middleware reads and sends (request id, rate limits, retry,
 * auth challenge, compression) to every operation, so no route definition has to repeat them.
 */
export function addCommonHeaders(document: OpenApiDocument): void {
  const components = document.components ?? {}
  components.headers = { ...components.headers, ...HEADERS }
  components.parameters = { ...components.parameters, ...PARAMETERS }
  document.components = components
  for (const [path, , operation] of operationsOf(document)) {
    const parameters: Parameter[] = [...(operation.parameters ?? []), ref('parameters', 'RequestId')]
    operation.parameters = parameters
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      // 101: the WebSocket library writes the handshake; the middleware's headers are not on it.
      if ('$ref' in response || status === '101') continue
      const headers = { ...response.headers }
      for (const name of headersFor(path, status, response)) headers[name] ??= ref('headers', name)
      response.headers = headers
    }
  }
}
