import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { ROOT } from './children.js'

/**
 * Transpiles a baseline to plain JavaScript under bench/node_modules/.cache (where its imports
 * still resolve) and returns the path, so the baseline runs on bare `node`: under the tsx loader
 * its resident memory would include the compiler's, and the RSS comparison would be unfair.
 */
export function plainJs(script: string): string {
  const source = readFileSync(join(ROOT, 'bench/src/baselines', script), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  })
  const dir = join(ROOT, 'bench/node_modules/.cache/bench-baselines')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, script.replace(/\.ts$/, '.mjs'))
  writeFileSync(out, outputText)
  return out
}
