#!/usr/bin/env node
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openEmbeddedRecorder } from './embedded-recorder.js'
import { recordSource } from './record-source.js'

// `record-file <path | ->`: records a file (or standard input, `-`) as one recording, with no
// HTTP server: the domain on PostgreSQL (DATABASE_URL, else PGlite in DATA_DIR/pg) and the file
// system (DATA_DIR/media). Prints the completed recording as one JSON line.
const USAGE = 'usage: record-file <path | -> [--user UUID] [--session UUID]'

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { user: { type: 'string' }, session: { type: 'string' } },
})
const [input] = positionals
if (input === undefined || positionals.length > 1) fail('record-file takes exactly one input')
const dataDir = process.env.DATA_DIR ?? './data'
const databaseUrl = process.env.DATABASE_URL || null
// Opened before anything is recorded: a missing file starts no recording.
const source =
  input === '-'
    ? process.stdin
    : await open(input as string).then(
        (file) => file.createReadStream(),
        (error: Error) => fail(`record-file: ${error.message}`),
      )

const recorder = await openEmbeddedRecorder({
  databaseUrl,
  pgliteDir: databaseUrl ? null : join(dataDir, 'pg'),
  mediaDir: join(dataDir, 'media'),
  warn: (message, details) => process.stderr.write(`${message} ${JSON.stringify(details)}\n`),
})
try {
  const recording = await recordSource(recorder.service, {
    userId: values.user ?? crypto.randomUUID(),
    sessionId: values.session ?? crypto.randomUUID(),
    source,
  })
  process.stdout.write(`${JSON.stringify(recording)}\n`)
} catch (error) {
  process.stderr.write(`record-file: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  await recorder.close()
}
