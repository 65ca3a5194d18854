import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderTypes } from './render-types.js'

// `pnpm --filter @rec/client generate [url]`: rewrites src/api-types.gen.ts from a running server.
const url = process.argv[2] ?? 'http://localhost:3000/openapi.json'
const response = await fetch(url)
if (!response.ok) throw new Error(`GET ${url}: ${response.status}`)
const target = join(import.meta.dirname, '../src/api-types.gen.ts')
await writeFile(target, await renderTypes((await response.json()) as object))
process.stdout.write(`wrote ${target}\n`)
