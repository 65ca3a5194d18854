import { runBlobStoreContract } from '@rec/domain/testing'
import { afterAll, describe, it } from 'vitest'
import { S3Fixture } from './s3-fixture.js'

const url = process.env.TEST_DATABASE_URL
const fixture = url ? await S3Fixture.open(url) : null
afterAll(() => fixture?.dispose())

if (fixture) {
  runBlobStoreContract(`s3 on ${fixture.s3.kind}`, async () => ({
    store: await fixture.store(),
    close: async () => {},
  }))
  runBlobStoreContract(`s3 on ${fixture.s3.kind}, with a prefix`, async () => ({
    store: await fixture.store({ prefix: 'media/rec/' }),
    close: async () => {},
  }))
} else {
  describe('BlobStore contract: s3 (skipped: TEST_DATABASE_URL is not set)', () => {
    it.skip('needs PostgreSQL for the upload records', () => {})
  })
}
