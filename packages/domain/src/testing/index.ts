export { type BlobStoreFixture, runBlobStoreContract } from './blob-store-contract.js'
export { ManualClock } from './manual-clock.js'
export { MemoryBlobStore } from './memory-blob-store.js'
export { MemoryRecordingRepo } from './memory-recording-repo.js'
export {
  makeRecording,
  type RecordingRepoFixture,
  runRecordingRepoContract,
} from './recording-repo-contract.js'
