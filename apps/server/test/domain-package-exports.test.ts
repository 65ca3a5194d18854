import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildProjects, WORKSPACE_ROOT } from '#test-support/build-workspace.js'

const packageDir = join(WORKSPACE_ROOT, 'packages/domain')
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, string>>
  peerDependencies?: Record<string, string>
}
const entries = Object.entries(pkg.exports)

describe('@rec/domain as a built package', () => {
  beforeAll(() => buildProjects('packages/domain'), 120_000)

  it.each(entries)('every target of %s exists after the build, `types` before `default`', (_, conditions) => {
    for (const target of Object.values(conditions))
      expect(existsSync(join(packageDir, target)), target).toBe(true)
    const order = Object.keys(conditions)
    expect(order.indexOf('types')).toBeGreaterThanOrEqual(0)
    expect(order.indexOf('types')).toBeLessThan(order.indexOf('default'))
    expect(conditions.default).toMatch(/^\.\/dist\/.*\.js$/)
  })

  it('exports the ports’ contract suites apart, with vitest a peer dependency only', () => {
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './memory', './testing']))
    expect(pkg.peerDependencies).toHaveProperty('vitest')
  })

  it('imports under plain Node (no source condition, no vitest): the domain and every in-memory port', () => {
    const script = `
      const domain = await import('@rec/domain')
      const memory = await import('@rec/domain/memory')
      console.log(JSON.stringify({ service: typeof domain.RecordingService, memory: Object.keys(memory).sort() }))`
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({
      service: 'function',
      memory: [
        'ManualClock',
        'MemoryBlobStore',
        'MemoryCache',
        'MemoryEventBus',
        'MemoryJobLock',
        'MemoryPlaybackSigner',
        'MemoryRecordingRepo',
        'MemoryTotalsCache',
        'MemoryWriterLease',
        'RandomIds',
        'SequentialIds',
        'SystemClock',
      ],
    })
  })

  it('the memory subpath loads no vitest and nothing outside the package', () => {
    const seen = new Set<string>()
    const visit = (file: string): void => {
      if (seen.has(file)) return
      seen.add(file)
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*'([^']+)'/g)) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.\.?\//)
        visit(join(dirname(file), spec as string))
      }
    }
    visit(join(packageDir, 'dist/memory/index.js'))
    expect(seen.size).toBeGreaterThan(5)
  })
})
