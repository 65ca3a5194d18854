import { MemoryCache } from '../src/in-process/memory-cache.js'
import { MemoryEventBus } from '../src/in-process/memory-event-bus.js'
import { MemoryTotalsCache } from '../src/in-process/memory-totals-cache.js'
import type { RecordingUpdated } from '../src/ports/event-bus.js'
import { RecordingService } from '../src/recording-service.js'
import type { RecordingLimits, RecordingServiceDeps } from '../src/recording-service-types.js'
import { ManualClock } from '../src/testing/manual-clock.js'
import { MemoryBlobStore } from '../src/testing/memory-blob-store.js'
import { MemoryRecordingRepo } from '../src/testing/memory-recording-repo.js'

export const sha256 = async (bytes: Uint8Array): Promise<string> =>
  Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')

export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

export async function* bytes(...sizes: number[]): AsyncGenerator<Uint8Array> {
  for (const size of sizes) yield new Uint8Array(size).fill(size & 0xff)
}

/**
 * Wraps `target[method]` so every call is counted (and, with `onCall`, seen) before it runs;
 * returns the count so far. For asserting the I/O a use case does or avoids.
 */
export function countCalls<T extends object, K extends keyof T>(
  target: T,
  method: K,
  onCall: (...args: never[]) => void = () => {},
): () => number {
  let calls = 0
  const original = target[method] as (...args: unknown[]) => unknown
  target[method] = ((...args: unknown[]) => {
    calls++
    ;(onCall as (...args: unknown[]) => void)(...args)
    return original.apply(target, args)
  }) as T[K]
  return () => calls
}

export function makeService(
  limits: Partial<RecordingLimits> = {},
  newId?: () => string,
  extra: Partial<RecordingServiceDeps> = {},
) {
  const clock = new ManualClock()
  const repo = new MemoryRecordingRepo()
  const blobs = new MemoryBlobStore(sha256)
  const events = new MemoryEventBus()
  const cache = new MemoryCache(clock)
  const totals = new MemoryTotalsCache(clock)
  const warnings: string[] = []
  let next = 1000
  const service = new RecordingService({
    repo,
    blobs,
    cache,
    totals,
    events,
    clock,
    ids: { newId: newId ?? (() => uuid(next++)) },
    logger: { warn: (message) => warnings.push(message) },
    limits: { maxBytes: 1000, maxDurationMs: 3_600_000, idleTimeoutMs: 300_000, ...limits },
    ...extra,
  })
  const published: RecordingUpdated[] = []
  return { service, clock, repo, blobs, events, cache, totals, warnings, published }
}
