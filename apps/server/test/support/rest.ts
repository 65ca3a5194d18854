import type { TestServer } from './test-server.js'

/** Small REST client for tests: JSON in, the Response out. */
export function rest(server: TestServer, token: string) {
  const call = (method: string, path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    })
  return {
    call,
    async start(sessionId: string = crypto.randomUUID(), config?: Record<string, string>) {
      const res = await call('POST', '/recordings/start', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId, ...(config ? { config } : {}) }),
      })
      if (res.status !== 201) throw new Error(`start: ${res.status} ${await res.text()}`)
      return (await res.json()) as { id: string; status: string }
    },
    async get(id: string) {
      return (await (await call('GET', `/recordings/${id}`)).json()) as Record<string, unknown>
    },
    async stop(id: string) {
      return call('POST', `/recordings/${id}/stop`)
    },
    async content(id: string): Promise<Uint8Array> {
      const res = await call('GET', `/recordings/${id}/content`)
      if (res.status !== 200) throw new Error(`content: ${res.status} ${await res.text()}`)
      return new Uint8Array(await res.arrayBuffer())
    },
  }
}

export const sha256Hex = async (bytes: Uint8Array): Promise<string> =>
  Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')

/** Splits `bytes` into frames of random sizes between 1 and `max`. */
export function randomFrames(
  bytes: Uint8Array,
  max: number,
  random: () => number = Math.random,
): Uint8Array[] {
  const frames: Uint8Array[] = []
  for (let at = 0; at < bytes.byteLength; ) {
    const size = 1 + Math.floor(random() * max)
    frames.push(bytes.subarray(at, at + size))
    at += size
  }
  return frames
}
