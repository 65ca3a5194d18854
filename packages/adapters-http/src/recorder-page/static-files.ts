import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'

/** One file of a built page, held in memory (the page is a few small files). */
export interface StaticFile {
  readonly body: Uint8Array
  readonly contentType: string
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
}

/**
 * The files directly in `dir`, by name. Only these names are ever served, so no request path
 * reaches the file system. Null when `dir` does not exist (the page was not built).
 */
export async function loadStaticFiles(dir: string): Promise<ReadonlyMap<string, StaticFile> | null> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const files = new Map<string, StaticFile>()
  for (const name of names) {
    const contentType = TYPES[extname(name)]
    if (contentType) files.set(name, { body: await readFile(join(dir, name)), contentType })
  }
  return files
}
