import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const LIMIT = 15 * 1024

// SPEC §11: the browser bundle of the whole SDK stays ≤ 15 kB minified and gzipped.
describe('browser bundle size', () => {
  it(`@rec/client bundled for the browser, minified and gzipped, is ≤ ${LIMIT} bytes`, async () => {
    const result = await build({
      entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    })
    const code = result.outputFiles[0]?.contents ?? new Uint8Array()
    const gzipped = gzipSync(code, { level: 9 }).byteLength
    console.log(`@rec/client browser bundle: ${code.byteLength} B minified, ${gzipped} B min+gzip`)
    expect(code.byteLength).toBeGreaterThan(1000) // the whole SDK is in it, not an empty module
    expect(gzipped).toBeLessThanOrEqual(LIMIT)
  })
})
