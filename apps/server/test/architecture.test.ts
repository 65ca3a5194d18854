import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const biome = join(root, 'node_modules/.bin/biome')

let probes = 0
/** Lints `source` as a file in `dir` (a short-lived probe file); biome's exit code and output. */
function lintAs(dir: string, source: string): { status: number | null; output: string } {
  const path = join(dir, `arch-probe-${process.pid}-${probes++}.ts`)
  writeFileSync(join(root, path), source)
  try {
    const run = spawnSync(biome, ['lint', path], { cwd: root, encoding: 'utf8' })
    return { status: run.status, output: run.stdout + run.stderr }
  } finally {
    rmSync(join(root, path), { force: true })
  }
}

describe('the domain stays pure', () => {
  it.each([
    ["import { readFile } from 'node:fs'", 'node: module'],
    ["import { Hono } from 'hono'", 'framework'],
    ["import { FsBlobStore } from '@rec/adapters-fs'", 'adapter package'],
    ["import { FsBlobStore } from '../../adapters-fs/src/index.js'", 'adapter by relative path'],
    ["import { Kysely } from 'kysely'", 'database library'],
  ])('the lint fails on %s (%s)', (line) => {
    const { status, output } = lintAs('packages/domain/src', `${line}\nexport const x = 1\n`)
    expect(status).not.toBe(0)
    expect(output).toContain('noRestrictedImports')
  })

  it('the lint passes the domain’s own relative imports, and the same import outside the domain', () => {
    expect(lintAs('packages/domain/src', "export { transition } from './transition.js'\n").status).toBe(0)
    expect(lintAs('packages/adapters-fs/src', "export { readFile } from 'node:fs'\n").status).toBe(0)
  })

  it('has no runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages/domain/package.json'), 'utf8'))
    expect(pkg.dependencies ?? {}).toEqual({})
  })
})

describe('adapters never import each other', () => {
  it.each([
    [
      'packages/adapters-redis/src',
      "import { FsBlobStore } from '@rec/adapters-fs'",
      'another adapter package',
    ],
    [
      'packages/adapters-http/src',
      "import { openDatabase } from '@rec/adapters-postgres'",
      'another adapter package',
    ],
    [
      'packages/adapters-fs/src',
      "import { x } from '../../adapters-redis/src/index.js'",
      'another adapter by path',
    ],
    ['packages/adapters-postgres/src', "import { startServer } from '@rec/server'", 'the app'],
  ])('the lint fails in %s on %s (%s)', (dir, line) => {
    const { status, output } = lintAs(dir, `${line}\nexport const x = 1\n`)
    expect(status).not.toBe(0)
    expect(output).toContain('noRestrictedImports')
  })

  it('the lint passes an adapter importing the domain, its libraries and its own files', () => {
    const source =
      "import { RecordingService } from '@rec/domain'\nimport { Kysely } from 'kysely'\nimport { x } from './database.js'\nexport const y = [RecordingService, Kysely, x]\n"
    expect(lintAs('packages/adapters-postgres/src', source).output).not.toContain('noRestrictedImports')
  })
})

/** Import cycles among the relative imports of `dir` (type-only imports count too), as `a → b → a`. */
function importCycles(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
  const imports = (file: string): string[] =>
    [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)\.js'/g)].map((m) =>
      join(dirname(file), `${m[1]}.ts`),
    )
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((p) => relative(dir, p)).join(' → '))
      return
    }
    if (state.get(file) === 'done') return
    state.set(file, 'open')
    for (const next of imports(file)) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of files) visit(file, [])
  return cycles
}

describe('no import cycles', () => {
  it.each([
    'packages/domain/src',
    'packages/adapters-http/src',
    'packages/adapters-fs/src',
    'apps/server/src',
  ])('%s has none, type-only imports included', (dir) => {
    expect(importCycles(join(root, dir))).toEqual([])
  })
})
