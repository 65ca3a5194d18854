import { runBlobStoreContract } from './blob-store-contract.js'
import { MemoryBlobStore } from './memory-blob-store.js'
import { MemoryRecordingRepo } from './memory-recording-repo.js'
import { runRecordingRepoContract } from './recording-repo-contract.js'

// The fakes pass the same suites as the real adapters, so they cannot drift from them.
const sha256 = async (bytes: Uint8Array): Promise<string> =>
  Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')
runBlobStoreContract('memory', async () => ({ store: new MemoryBlobStore(sha256), close: async () => {} }))
runRecordingRepoContract('memory', async () => ({ repo: new MemoryRecordingRepo(), close: async () => {} }))
