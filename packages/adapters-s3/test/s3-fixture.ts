import { type Database, migrateToLatest, openDatabase, PostgresBlobUploadRepo } from '@rec/adapters-postgres'
import { startTestS3, type TestS3 } from '#test-support/s3-server.js'
import {
  createScratchDatabase,
  type ScratchDatabase,
} from '../../adapters-postgres/test/support/test-databases.js'
import { openS3Client, S3BlobStore, type S3BlobStoreOptions } from '../src/index.js'

/** The test S3 server and a migrated scratch database, shared by one test file. */
export class S3Fixture {
  private constructor(
    readonly s3: TestS3,
    readonly database: Database,
    readonly scratch: ScratchDatabase,
  ) {}

  static async open(databaseUrl: string): Promise<S3Fixture> {
    const scratch = await createScratchDatabase(databaseUrl)
    const database = await openDatabase({ url: scratch.url, dataDir: null })
    await migrateToLatest(database.db)
    return new S3Fixture(await startTestS3(), database, scratch)
  }

  client() {
    return openS3Client({
      endpoint: this.s3.endpoint,
      region: this.s3.region,
      forcePathStyle: true,
      credentials: this.s3.credentials,
      maxAttempts: 1,
    })
  }

  /** A store on a fresh bucket with no upload records; another `store()` on `bucket` is another instance. */
  async store(options: Partial<S3BlobStoreOptions> & { bucket?: string } = {}): Promise<S3BlobStore> {
    const bucket = options.bucket ?? (await this.freshBucket())
    return new S3BlobStore({
      client: this.client(),
      bucket,
      uploads: new PostgresBlobUploadRepo(this.database.db),
      ...options,
    })
  }

  async freshBucket(): Promise<string> {
    await this.database.db.deleteFrom('blob_uploads').execute()
    return this.s3.newBucket()
  }

  async dispose(): Promise<void> {
    await this.s3.dispose()
    await this.database.close()
    await this.scratch.drop()
  }
}
