import { copyFile, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = import.meta.dirname

/**
 * Bundles the recorder page into `outdir` (default apps/recorder/dist): index.html, app.css and
 * app.js (the page and @rec/client from its TypeScript sources, minified, with a source map).
 */
export async function buildRecorderPage(outdir = join(here, 'dist')) {
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir, { recursive: true })
  await build({
    entryPoints: [join(here, 'page/main.ts')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    logLevel: 'warning',
  })
  await copyFile(join(here, 'page/index.html'), join(outdir, 'index.html'))
  await copyFile(join(here, 'page/app.css'), join(outdir, 'app.css'))
  return outdir
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = await buildRecorderPage()
  process.stdout.write(`recorder page built into ${outdir}\n`)
}
