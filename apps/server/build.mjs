import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = import.meta.dirname

/**
 * Bundles the server for `pnpm start` into apps/server/bundle: `main.js` and the
 * chunks it loads, from the TypeScript sources of this app and of the workspace packages, with
 * their dependencies, and a source map each.
 *
 * Why: from `dist/`, Node 20's module loader opens, reads and compiles about 760 files one by one
 * at every start (kysely alone is 289), on the same 2 cores as the embedded database opening on its
 * thread; a bundle is a few dozen files (bench/NOTES.md, "Fifth round"). The dynamic imports stay
 * dynamic: Redis, S3 and the media modules are chunks loaded only when configured or used.
 *
 * Left outside, resolved from apps/server/node_modules at run time:
 * - `@electric-sql/pglite`: it finds its WebAssembly and file-system image next to its own module.
 *   `@rec/server` depends on it for that, at the same version as `@rec/adapters-postgres`.
 * - `pino`: it starts worker files by path for transports.
 *
 * The bundle sits at the same depth as `dist/`, so paths relative to a module (the recorder page's
 * `../../recorder/dist`) hold in both; hence no other output directory.
 */
export async function buildServer() {
  const outdir = join(here, 'bundle')
  await rm(outdir, { recursive: true, force: true })
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    external: ['@electric-sql/pglite', 'pino'],
    sourcemap: true,
    // CommonJS dependencies (pg, ws…) call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __rec_createRequire } from 'node:module'; const require = __rec_createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  return outdir
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = await buildServer()
  process.stdout.write(`server bundled into ${outdir}\n`)
}
