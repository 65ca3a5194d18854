import { runRecordingRepoContract } from '@rec/domain/testing'
import { describe } from 'vitest'
import { PostgresRecordingRepo } from '../src/index.js'
import {
  POSTGRES_SUITE,
  TEST_DATABASE_URL,
  truncateAll,
  useMigratedDatabase,
} from './support/test-databases.js'

describe.skipIf(TEST_DATABASE_URL === null)(POSTGRES_SUITE, () => {
  const database = useMigratedDatabase('postgres')
  runRecordingRepoContract('PostgreSQL', async () => {
    await truncateAll(database())
    return { repo: new PostgresRecordingRepo(database().db), close: async () => {} }
  })
})

describe('PGlite', () => {
  const database = useMigratedDatabase('pglite')
  runRecordingRepoContract('PGlite', async () => {
    await truncateAll(database())
    return { repo: new PostgresRecordingRepo(database().db), close: async () => {} }
  })
})
