import { gunzipSync, inflateSync } from 'node:zlib'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../env.js'
import { acceptedEncoding, compressJson } from './compress-json.js'

const big = { items: Array.from({ length: 200 }, (_, i) => ({ i, name: `recording ${i}` })) }
const app = new Hono<AppEnv>()
app.use(compressJson())
app.get('/big', (c) => c.json(big, 201, { 'X-Extra': 'kept' }))
app.get('/small', (c) => c.json({ ok: true }))

describe('compressJson', () => {
  it('gzips a large JSON body in one piece, with its length, status and headers', async () => {
    const res = await app.request('/big', { headers: { 'Accept-Encoding': 'br, gzip, deflate' } })
    expect(res.status).toBe(201)
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.headers.get('Vary')).toBe('Accept-Encoding')
    expect(res.headers.get('X-Extra')).toBe('kept')
    expect(JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString())).toEqual(big)
  })

  it('deflates when the client prefers it, and sends plain JSON (still Vary) when it takes neither', async () => {
    const deflated = await app.request('/big', { headers: { 'Accept-Encoding': 'gzip;q=0.5, deflate' } })
    expect(deflated.headers.get('Content-Encoding')).toBe('deflate')
    expect(JSON.parse(inflateSync(Buffer.from(await deflated.arrayBuffer())).toString())).toEqual(big)
    const plain = await app.request('/big', { headers: { 'Accept-Encoding': 'identity' } })
    expect(plain.headers.get('Content-Encoding')).toBeNull()
    expect(plain.headers.get('Vary')).toBe('Accept-Encoding')
    expect(await plain.json()).toEqual(big)
  })

  it('leaves small bodies and HEAD alone', async () => {
    const small = await app.request('/small', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(small.headers.get('Content-Encoding')).toBeNull()
    expect(await small.json()).toEqual({ ok: true })
    const head = await app.request('/big', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } })
    expect(head.headers.get('Content-Encoding')).toBeNull()
  })

  it('reads Accept-Encoding with weights and wildcards', () => {
    expect(acceptedEncoding(undefined)).toBeNull()
    expect(acceptedEncoding('gzip')).toBe('gzip')
    expect(acceptedEncoding('GZIP;Q=0.8, deflate;q=0.9')).toBe('deflate')
    expect(acceptedEncoding('gzip;q=0, deflate')).toBe('deflate')
    expect(acceptedEncoding('*')).toBe('gzip')
    expect(acceptedEncoding('*;q=0')).toBeNull()
    expect(acceptedEncoding('br, identity')).toBeNull()
    expect(acceptedEncoding('gzip;q=abc')).toBeNull()
  })
})
