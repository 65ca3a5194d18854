import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DependencyUnavailableError } from '@rec/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPgliteThread, type PgliteClient } from '../src/pglite-thread.js'
import { translateError } from '../src/translate-error.js'

describe('PGlite on its own thread', () => {
  let client: PgliteClient
  beforeAll(async () => {
    client = await openPgliteThread(null)
  })
  afterAll(async () => {
    await client.close()
  })

  it('answers statements with parameters, their values parsed as PGlite parses them', async () => {
    const at = new Date('2026-12-02T10:00:00.123Z')
    const bytes = new Uint8Array([0, 1, 254, 255])
    const { rows } = await client.query<Record<string, unknown>>(
      `select $1::timestamptz as at, $2::bigint as big, $3::bytea as bytes, $4::jsonb as doc, $5::text as nothing, 7::int as n`,
      [at, '9007199254740993', bytes, JSON.stringify({ a: [1, 'b'] }), null],
    )
    expect(rows).toEqual([{ at, big: 9007199254740993n, bytes, doc: { a: [1, 'b'] }, nothing: null, n: 7 }])
  })

  it('counts the rows a statement changed, and runs scripts of several statements', async () => {
    const script = await client.exec(
      'create table t (id int primary key, name text unique); insert into t values (1, $$a$$), (2, $$b$$); select count(*)::int as n from t',
    )
    expect(script.at(-1)?.rows).toEqual([{ n: 2 }])
    expect((await client.query('update t set name = name || $1', ['!'])).affectedRows).toBe(2)
    expect((await client.query('select 1', [])).affectedRows ?? 0).toBe(0)
  })

  it('rejects with the database error and its fields, and goes on answering', async () => {
    const refused = await client.query(`insert into t values (3, 'a!')`, []).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(Error)
    expect(refused).toMatchObject({ code: '23505', constraint: 't_name_key', table: 't' })
    expect((refused as Error).message).toMatch(/duplicate key/)
    await expect(client.query('select * from no_such_table', [])).rejects.toMatchObject({ code: '42P01' })
    expect((await client.query<{ n: number }>('select count(*)::int as n from t', [])).rows).toEqual([
      { n: 2 },
    ])
  })

  it('refuses a parameter that cannot cross to the thread, and goes on answering', async () => {
    await expect(client.query('select $1::text', [() => 'x'])).rejects.toThrow(/could not be cloned/)
    expect((await client.query<{ n: number }>('select 1 as n', [])).rows).toEqual([{ n: 1 }])
  })

  it('keeps a transaction on its one connection', async () => {
    await client.query('begin', [])
    await client.query(`insert into t values (3, 'c')`, [])
    await client.query('rollback', [])
    expect((await client.query<{ n: number }>('select count(*)::int as n from t', [])).rows).toEqual([
      { n: 2 },
    ])
  })
})

describe('PGlite on its own thread, opened and closed', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('refuses calls once closed, as an outage of the database', async () => {
    const client = await openPgliteThread(null)
    await client.close()
    const error = await client.query('select 1', []).catch((e: unknown) => e)
    expect(error).toMatchObject({ message: expect.stringMatching(/^PGlite is closed/) })
    expect(translateError(error)).toBeInstanceOf(DependencyUnavailableError)
    await client.close()
  })

  it('rejects the open of a directory that holds no database it can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-pglite-thread-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'PG_VERSION'), 'not a version\n')
    await expect(openPgliteThread(dir)).rejects.toThrow()
  })
})
