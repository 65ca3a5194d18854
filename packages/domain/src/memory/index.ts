// In-memory implementations of every port, for tests and for services that embed the domain in
// one process. Each passes the same contract suite (`@rec/domain/testing`) as the real adapters.
export { MemoryCache, type MemoryCacheOptions } from '../in-process/memory-cache.js'
export { MemoryEventBus } from '../in-process/memory-event-bus.js'
export { MemoryTotalsCache, type MemoryTotalsCacheOptions } from '../in-process/memory-totals-cache.js'
export { ManualClock } from '../testing/manual-clock.js'
export { MemoryBlobStore } from '../testing/memory-blob-store.js'
export { MemoryJobLock } from '../testing/memory-job-lock.js'
export { MemoryPlaybackSigner } from '../testing/memory-playback-signer.js'
export { MemoryRecordingRepo } from '../testing/memory-recording-repo.js'
export { MemoryWriterLease } from '../testing/memory-writer-lease.js'
export { RandomIds } from './random-ids.js'
export { SequentialIds } from './sequential-ids.js'
export { SystemClock } from './system-clock.js'
