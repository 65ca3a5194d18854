import { MemoryCache } from '../in-process/memory-cache.js'
import { MemoryEventBus } from '../in-process/memory-event-bus.js'
import { MemoryListVersions } from '../in-process/memory-list-versions.js'
import { MemoryTotalsCache } from '../in-process/memory-totals-cache.js'
import { RandomIds } from '../memory/random-ids.js'
import { SequentialIds } from '../memory/sequential-ids.js'
import { SystemClock } from '../memory/system-clock.js'
import { runBlobStoreContract } from './blob-store-contract.js'
import { runCacheContract } from './cache-contract.js'
import { runClockContract } from './clock-contract.js'
import { runEventBusContract } from './event-bus-contract.js'
import { runIdGeneratorContract } from './id-generator-contract.js'
import { runJobLockContract } from './job-lock-contract.js'
import { runListVersionsContract } from './list-versions-contract.js'
import { ManualClock } from './manual-clock.js'
import { MemoryBlobStore } from './memory-blob-store.js'
import { MemoryJobLock } from './memory-job-lock.js'
import { MemoryPlaybackSigner } from './memory-playback-signer.js'
import { MemoryRecordingRepo } from './memory-recording-repo.js'
import { runPlaybackSignerContract } from './playback-signer-contract.js'
import { runRecordingRepoContract } from './recording-repo-contract.js'
import { runTotalsCacheContract } from './totals-cache-contract.js'

// The fakes pass the same suites as the real adapters, so they cannot drift from them.
const sha256 = async (bytes: Uint8Array): Promise<string> =>
  Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')
runBlobStoreContract('memory', async () => ({ store: new MemoryBlobStore(sha256), close: async () => {} }))
// The default digest is the platform's Web Crypto: the store an embedding service gets from `new MemoryBlobStore()`.
runBlobStoreContract('memory (default digest)', async () => ({
  store: new MemoryBlobStore(),
  close: async () => {},
}))
runRecordingRepoContract('memory', async () => ({ repo: new MemoryRecordingRepo(), close: async () => {} }))
runCacheContract('in-process', async () => {
  const clock = new ManualClock()
  return {
    cache: new MemoryCache(clock, { invalidationMs: 1000 }),
    invalidationMs: 1000,
    elapse: async (ms) => clock.advance(ms),
    close: async () => {},
  }
})
runTotalsCacheContract('in-process', async () => {
  const clock = new ManualClock()
  return {
    cache: new MemoryTotalsCache(clock),
    elapse: async (ms) => clock.advance(ms),
    close: async () => {},
  }
})
// One process is one instance: both views are the same object. Eviction is its way of losing a key.
runListVersionsContract('in-process', async () => {
  const versions = new MemoryListVersions({ maxUsers: 2 })
  return {
    a: versions,
    b: versions,
    lose: async () => {
      await versions.current('6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a00fe')
      await versions.current('6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a00ff')
    },
    close: async () => {},
  }
})
// One process is one instance: both sides of the fixture are the same bus.
runEventBusContract('in-process', async () => {
  const bus = new MemoryEventBus()
  return { a: bus, b: bus, close: async () => {} }
})
runJobLockContract('memory', async () => {
  const lock = new MemoryJobLock()
  return { first: lock, second: lock, close: async () => {} }
})
runPlaybackSignerContract('memory', () => ({
  signer: new MemoryPlaybackSigner('key-a'),
  otherKey: new MemoryPlaybackSigner('key-b'),
}))
runClockContract('manual', () => new ManualClock())
runClockContract('system', () => new SystemClock())
runIdGeneratorContract('sequential', () => new SequentialIds())
runIdGeneratorContract('random', () => new RandomIds())
