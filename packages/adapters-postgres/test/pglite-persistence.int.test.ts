import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeRecording } from '@rec/domain/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase, PostgresRecordingRepo } from '../src/index.js'

describe('PGlite persisted in dataDir', () => {
  let dir: string | null = null
  afterEach(async () => {
    if (dir !== null) await rm(dir, { recursive: true, force: true })
  })

  it('keeps what was written across close and reopen', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-pglite-'))
    const dataDir = join(dir, 'pg')
    const recording = makeRecording({ sizeBytes: 1234 })

    const first = await openDatabase({ url: null, dataDir })
    try {
      expect(first.kind).toBe('pglite')
      await migrateToLatest(first.db)
      await new PostgresRecordingRepo(first.db).create(recording, null)
    } finally {
      await first.close()
    }

    const second = await openDatabase({ url: null, dataDir })
    try {
      expect(await migrateToLatest(second.db)).toEqual([])
      expect(await new PostgresRecordingRepo(second.db).findById(recording.id)).toEqual(recording)
    } finally {
      await second.close()
    }
    // Two PGlite initialisations (WebAssembly, initdb on the first): seconds when idle, far more on
    // a loaded machine.
  }, 120_000)
})
