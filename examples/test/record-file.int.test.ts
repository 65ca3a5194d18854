import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProjects, WORKSPACE_ROOT } from '#test-support/build-workspace.js'
import { POSTGRES_UNAVAILABLE, postgresServerUrl } from '#test-support/integration-env.js'

const cli = join(WORKSPACE_ROOT, 'examples/dist/record-file.js')

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built worker under plain Node (no source condition), `stdin` piped into it. */
function runCli(args: string[], env: Record<string, string>, stdin: Uint8Array | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin ?? undefined)
  })
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

describe.skipIf(POSTGRES_UNAVAILABLE)(
  `record-file: the domain embedded without HTTP, on PostgreSQL and the file system${POSTGRES_UNAVAILABLE ? ` (skipped: ${POSTGRES_UNAVAILABLE})` : ''}`,
  () => {
    let dataDir: string
    let databaseUrl: string
    let serverUrl: string
    const database = `rec_examples_${randomBytes(5).toString('hex')}`

    beforeAll(async () => {
      buildProjects('examples')
      dataDir = await mkdtemp(join(tmpdir(), 'rec-example-'))
      serverUrl = await postgresServerUrl()
      await query(serverUrl, `create database ${database}`)
      const url = new URL(serverUrl)
      url.pathname = `/${database}`
      databaseUrl = url.toString()
    }, 180_000)

    afterAll(async () => {
      if (serverUrl) await query(serverUrl, `drop database if exists ${database} with (force)`)
      if (dataDir) await rm(dataDir, { recursive: true, force: true })
    })

    it('records a pipe: the row is completed in PostgreSQL and the media file holds the bytes', async () => {
      const media = randomBytes(700_000)
      const user = crypto.randomUUID()
      const run = await runCli(['-', '--user', user], { DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, media)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const printed = JSON.parse(run.stdout)
      const checksum = `sha256:${createHash('sha256').update(media).digest('hex')}`
      expect(printed).toMatchObject({ status: 'completed', sizeBytes: media.length, checksum, userId: user })
      const rows = await query<{ status: string; user_id: string }>(
        databaseUrl,
        'select status, user_id from recordings where id = $1',
        [printed.id],
      )
      expect(rows).toEqual([{ status: 'completed', user_id: user }])
      expect((await readFile(join(dataDir, 'media', printed.id))).equals(media)).toBe(true)
    })

    it('records a file', async () => {
      const path = join(dataDir, 'input.webm')
      const media = randomBytes(10_000)
      await writeFile(path, media)
      const run = await runCli([path], { DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, null)
      expect(run.code).toBe(0)
      expect(JSON.parse(run.stdout).checksum).toBe(
        `sha256:${createHash('sha256').update(media).digest('hex')}`,
      )
    })

    it('refuses a missing file before recording anything, and a call without input', async () => {
      const before = await query<{ n: string }>(databaseUrl, 'select count(*) as n from recordings')
      const missing = await runCli(
        [join(dataDir, 'no-such-file')],
        { DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
        null,
      )
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('ENOENT')
      const none = await runCli([], { DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, null)
      expect(none.code).toBe(2)
      expect(none.stderr).toContain('usage: record-file')
      expect(await query(databaseUrl, 'select count(*) as n from recordings')).toEqual(before)
    })
  },
)
