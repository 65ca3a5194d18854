import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unavailable } from '../../../apps/server/test/support/test-database.js'
import { startTestServer, type TestServer } from '../../../apps/server/test/support/test-server.js'
import { renderTypes } from '../scripts/render-types.js'

// The SDK's REST types are generated from the served /openapi.json and committed; this fails when
// the server's document changed and `pnpm --filter @rec/client generate` was not run.
describe('the committed API types match the served OpenAPI document', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(unavailable('postgres') ? 'pglite' : 'postgres')
  })
  afterAll(() => server?.dispose())

  it('src/api-types.gen.ts is what openapi-typescript makes of GET /openapi.json', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as object
    const target = join(import.meta.dirname, '../src/api-types.gen.ts')
    const committed = await readFile(target, 'utf8')
    const generated = await renderTypes(document)
    // UPDATE_API_TYPES=1 rewrites the file from this server instead of failing.
    if (process.env.UPDATE_API_TYPES === '1' && generated !== committed) await writeFile(target, generated)
    else {
      expect(
        generated === committed,
        'src/api-types.gen.ts is stale: run this test with UPDATE_API_TYPES=1, or `pnpm --filter @rec/client generate <url>`',
      ).toBe(true)
    }
  })
})
