import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildProjects, WORKSPACE_ROOT } from '#test-support/build-workspace.js'

type Exports = Record<string, Record<string, string>>

const packageDirs = ['packages', 'apps']
  .flatMap((parent) => readdirSync(join(WORKSPACE_ROOT, parent)).map((name) => join(parent, name)))
  .concat('examples')
  .filter((dir) => existsSync(join(WORKSPACE_ROOT, dir, 'package.json')))

const withExports = packageDirs.flatMap((dir) => {
  const pkg = JSON.parse(readFileSync(join(WORKSPACE_ROOT, dir, 'package.json'), 'utf8')) as {
    name: string
    exports?: Exports
  }
  return pkg.exports ? [[pkg.name, dir, pkg.exports] as const] : []
})

describe('every workspace package’s exports point at files that exist after `tsc -b`', () => {
  beforeAll(() => buildProjects(), 300_000)

  it.each(withExports)('%s', (_, dir, exports) => {
    for (const [subpath, conditions] of Object.entries(exports)) {
      const keys = Object.keys(conditions)
      expect(keys.indexOf('types'), `${subpath}: types before default`).toBeLessThan(keys.indexOf('default'))
      for (const target of Object.values(conditions)) {
        expect(existsSync(join(WORKSPACE_ROOT, dir, target)), `${subpath} → ${target}`).toBe(true)
      }
    }
  })

  it('covers the server, the domain and the examples', () => {
    expect(withExports.map(([name]) => name)).toEqual(
      expect.arrayContaining(['@rec/server', '@rec/domain', '@rec/examples']),
    )
  })
})
