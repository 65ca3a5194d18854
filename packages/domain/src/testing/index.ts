export { type BlobStoreFixture, runBlobStoreContract } from './blob-store-contract.js'
export { type CacheFixture, runCacheContract } from './cache-contract.js'
export { runClockContract } from './clock-contract.js'
export { type EventBusFixture, runEventBusContract } from './event-bus-contract.js'
export { runIdGeneratorContract } from './id-generator-contract.js'
export { type JobLockFixture, runJobLockContract } from './job-lock-contract.js'
export { type ListVersionsFixture, runListVersionsContract } from './list-versions-contract.js'
export { ManualClock } from './manual-clock.js'
export { MemoryBlobStore } from './memory-blob-store.js'
export { MemoryJobLock } from './memory-job-lock.js'
export { MemoryPlaybackSigner } from './memory-playback-signer.js'
export { MemoryRecordingRepo } from './memory-recording-repo.js'
export { MemoryWriterLease } from './memory-writer-lease.js'
export { type PlaybackSignerFixture, runPlaybackSignerContract } from './playback-signer-contract.js'
export {
  makeRecording,
  type RecordingRepoFixture,
  runRecordingRepoContract,
} from './recording-repo-contract.js'
export { runTotalsCacheContract, type TotalsCacheFixture } from './totals-cache-contract.js'
