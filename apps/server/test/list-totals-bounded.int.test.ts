import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'

// Issue 10, bug 2: each distinct list filter a read-only user sent left an in-process total that
// only a write of that user removed; the heap grew for ever. Now at most 100 per user are kept.
// (100,000 distinct filters against the cache itself: memory-totals-cache.test.ts.)
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'
const PER_USER = 100

describe(`the in-process list-totals cache stays bounded (${backend})`, () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(backend, { RATE_LIMIT_PER_MIN: '100000' })
  })
  afterAll(async () => {
    await server?.dispose()
  })

  const held = async (): Promise<number> => {
    const text = await (await fetch(`${server.url}/metrics`)).text()
    const line = text.split('\n').find((l) => l.startsWith('list_totals_cache_entries '))
    if (!line) throw new Error('no list_totals_cache_entries in /metrics')
    return Number(line.split(' ')[1])
  }

  it('keeps at most 100 totals for a user who lists 300 distinct sessionIds', async () => {
    const token = await server.token(crypto.randomUUID())
    const list = async (sessionId: string): Promise<void> => {
      const res = await fetch(`${server.url}/api/v1/recordings?sessionId=${sessionId}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { pagination: { total: number } }).pagination.total).toBe(0)
    }
    expect(await held()).toBe(0)
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(Array.from({ length: 10 }, () => list(crypto.randomUUID())))
      if (batch % 10 === 9) expect(await held()).toBeLessThanOrEqual(PER_USER)
    }
    expect(await held()).toBe(PER_USER)
  })
})
