import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources through the `source` export condition,
// so tests never need a build first.
export default defineConfig({
  resolve: {
    conditions: ['source', 'module', 'node', 'import', 'default'],
    // The shared test harness (test/support) from any package's tests, instead of ../../../../ paths;
    // tsconfig.test.json maps the same prefix for the type-check.
    alias: [
      {
        find: /^#test-support\/(.*)\.js$/,
        replacement: fileURLToPath(new URL('./test/support/$1.ts', import.meta.url)),
      },
    ],
  },
  // Only 'source' and 'node' for SSR: Node receives these as --conditions, and 'import' would make
  // require() of a dual CommonJS/ESM package (pg-pool) load its ESM build.
  ssr: { resolve: { conditions: ['source', 'node'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
