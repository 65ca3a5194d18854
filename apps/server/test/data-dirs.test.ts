import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { existingPgliteDir } from '../src/data-dirs.js'

describe('the embedded database opened before the configuration loads', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const scratch = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-data-dirs-'))
    dirs.push(dir)
    return dir
  }
  const holdDatabase = (pgDir: string): void => {
    mkdirSync(pgDir, { recursive: true })
    writeFileSync(join(pgDir, 'PG_VERSION'), '17\n')
  }

  it('names the directory loadConfig derives, once it holds a database', () => {
    const cwd = scratch()
    const env = { DATA_DIR: 'state' }
    expect(existingPgliteDir(env, cwd)).toBeNull()
    holdDatabase(join(cwd, 'state', 'pg'))
    expect(existingPgliteDir(env, cwd)).toBe(join(cwd, 'state', 'pg'))
    expect(existingPgliteDir(env, cwd)).toBe(loadConfig(env, cwd).pgliteDir)
    // The default DATA_DIR (./data), and an absolute one.
    holdDatabase(join(cwd, 'data', 'pg'))
    expect(existingPgliteDir({}, cwd)).toBe(loadConfig({}, cwd).pgliteDir)
    const absolute = scratch()
    holdDatabase(join(absolute, 'pg'))
    expect(existingPgliteDir({ DATA_DIR: absolute }, '/elsewhere')).toBe(join(absolute, 'pg'))
  })

  it('names none that is still to be initialised, with DATABASE_URL, or with a DATA_DIR the configuration refuses', () => {
    const cwd = scratch()
    mkdirSync(join(cwd, 'data', 'pg'), { recursive: true })
    // A directory without PG_VERSION is initialised after the configuration is known to be valid.
    expect(existingPgliteDir({}, cwd)).toBeNull()
    holdDatabase(join(cwd, 'data', 'pg'))
    expect(existingPgliteDir({ DATABASE_URL: 'postgres://db/app' }, cwd)).toBeNull()
    expect(existingPgliteDir({ DATA_DIR: '' }, cwd)).toBeNull()
    // A blank DATABASE_URL is no URL, for loadConfig as here.
    expect(existingPgliteDir({ DATABASE_URL: '' }, cwd)).toBe(loadConfig({ DATABASE_URL: '' }, cwd).pgliteDir)
  })
})
