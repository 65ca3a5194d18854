import { runJobLockContract } from '@rec/domain/testing'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { type Database, openDatabase, PostgresJobLock } from '../src/index.js'
import { createScratchDatabase, POSTGRES_SUITE, TEST_DATABASE_URL } from './support/test-databases.js'

describe.skipIf(TEST_DATABASE_URL === null)(`${POSTGRES_SUITE}: advisory job lock`, () => {
  // Two pools on one database stand for two instances of the service.
  runJobLockContract('PostgreSQL, two instances', async () => {
    const scratch = await createScratchDatabase(TEST_DATABASE_URL ?? '')
    const a = await openDatabase({ url: scratch.url, dataDir: null })
    const b = await openDatabase({ url: scratch.url, dataDir: null })
    return {
      first: new PostgresJobLock(a),
      second: new PostgresJobLock(b),
      close: async () => {
        await Promise.all([a.close(), b.close()])
        await scratch.drop()
      },
    }
  })

  it('is released when the holder’s connection dies (an instance crashed mid-job)', async () => {
    const scratch = await createScratchDatabase(TEST_DATABASE_URL ?? '')
    const opened: Database[] = []
    try {
      const crashed = await openDatabase({ url: scratch.url, dataDir: null })
      const survivor = await openDatabase({ url: scratch.url, dataDir: null })
      opened.push(survivor, crashed)
      let entered = (): void => {}
      let finish = (): void => {}
      const inside = new Promise<void>((resolve) => (entered = resolve))
      const held = new PostgresJobLock(crashed).tryRun('janitor', async () => {
        entered()
        await new Promise<void>((resolve) => (finish = resolve))
        return 'finished'
      })
      await inside
      expect(await new PostgresJobLock(survivor).tryRun('janitor', async () => 1)).toEqual({
        acquired: false,
      })
      // The holder's backend goes away, as when its instance crashes or its network drops. The
      // holding client is idle then: its 'error' must not crash this process (it would, unhandled).
      // Only this scratch database's holder: other suites on the shared server hold the same key.
      await sql`select pg_terminate_backend(pid) from pg_locks
        where locktype = 'advisory' and classid = ${0x52454332}
          and database = (select oid from pg_database where datname = current_database())`.execute(
        survivor.db,
      )
      // pg_terminate_backend only signals the backend: its lock goes a moment later.
      let outcome = await new PostgresJobLock(survivor).tryRun('janitor', async () => 2)
      for (let i = 0; i < 50 && !outcome.acquired; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        outcome = await new PostgresJobLock(survivor).tryRun('janitor', async () => 2)
      }
      expect(outcome).toEqual({ acquired: true, value: 2 })
      finish()
      expect(await held).toEqual({ acquired: true, value: 'finished' })
      // The broken client was dropped, not pooled: the crashed side works again.
      expect(await new PostgresJobLock(crashed).tryRun('janitor', async () => 3)).toEqual({
        acquired: true,
        value: 3,
      })
    } finally {
      // A pool whose client died mid-query may never finish ending; the scratch drop is forced anyway.
      for (const database of opened) {
        await Promise.race([database.close(), new Promise((resolve) => setTimeout(resolve, 3000))])
      }
      await scratch.drop()
    }
  })
})

describe('PGlite: job lock', () => {
  runJobLockContract('PGlite, one process', async () => {
    const database = await openDatabase({ url: null, dataDir: null })
    const lock = new PostgresJobLock(database)
    return { first: lock, second: lock, close: () => database.close() }
  })
})
