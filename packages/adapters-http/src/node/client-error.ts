import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { ERROR_TABLE, type ErrorCode, problemType } from '../problems/error-table.js'
import type { ProblemBody } from '../problems/to-problem.js'

/** What node:http refuses before any route runs, by its error code; anything else is malformed. */
const BY_NODE_CODE: Readonly<Record<string, { code: ErrorCode; detail: string }>> = {
  HPE_HEADER_OVERFLOW: {
    code: 'REQUEST_HEADERS_TOO_LARGE',
    detail: 'the request headers exceed 16 KiB (a bearer token belongs in Authorization, and is far smaller)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'REQUEST_TIMEOUT', detail: 'the request did not arrive in time' },
}

/**
 * node:http's `clientError` listener: a request its parser refused (headers over `maxHeaderSize`,
 * a header or request timeout, bytes that are not HTTP) gets an RFC 9457 problem like every other
 * error, where Node would answer a bare status line; then the connection closes. Node's own rules
 * are kept: nothing is written on a socket whose in-flight response has sent its headers.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // Node's own test: a response on this socket whose headers went out must not be corrupted.
  // `_httpMessage` is the socket's in-flight response; node:http offers no public way to it.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy()
    return
  }
  const { code, detail } = BY_NODE_CODE[error.code ?? ''] ?? {
    code: 'MALFORMED_REQUEST',
    detail: 'the request is not valid HTTP/1.1',
  }
  const row = ERROR_TABLE[code]
  const requestId = randomUUID()
  const body: ProblemBody = {
    type: problemType(code),
    title: row.title,
    status: row.status,
    detail,
    code,
    requestId,
  }
  const json = JSON.stringify(body)
  socket.end(
    `HTTP/1.1 ${row.status} ${STATUS_CODES[row.status] ?? ''}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      json,
  )
}
