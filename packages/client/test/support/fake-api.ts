import type { Recording } from '../../src/index.js'

export const RECORDING_ID = '0b8f6a3e-5c1d-4d7e-9f3a-1c2b3d4e5f60'

export function recording(overrides: Partial<Recording> = {}): Recording {
  return {
    id: RECORDING_ID,
    sessionId: '6a3c9a4e-6a51-4d1d-8f3a-2b7f3d0c9e11',
    userId: '1e2d3c4b-5a69-4788-9766-554433221100',
    status: 'recording',
    config: { quality: 'high', format: 'webm' },
    sizeBytes: 0,
    durationMs: null,
    checksum: null,
    stopReason: null,
    failureReason: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    stoppedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  } as Recording
}

export interface FetchCall {
  readonly url: string
  readonly method: string
  readonly headers: Record<string, string>
  readonly body: unknown
}

/** A fetch that answers from `handler` and records every call. */
export function fakeFetch(handler: (call: FetchCall) => Response | Promise<Response>): {
  calls: FetchCall[]
  fetch: typeof fetch
} {
  const calls: FetchCall[] = []
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const call = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
      body: init.body,
    }
    calls.push(call)
    return handler(call)
  }) as typeof globalThis.fetch
  return { calls, fetch }
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
