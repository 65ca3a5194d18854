import { cpuSeconds, RssMeter } from '../lib/children.js'
import { median, percentile } from '../lib/stats.js'
import { type UploadSession, uploadAll, uploadPaced } from '../lib/upload-client.js'

/** Something that takes HTTP uploads: the service (§5 PATCH or tus), @tus/server, the raw server. */
export interface UploadTarget {
  readonly name: string
  readonly pid: number
  /** Creates an upload of `length` bytes (untimed: creation is not ingest). */
  create(length: number): Promise<UploadSession>
  /** Deletes what a round stored. */
  cleanup(): void
}

/** `uploads` uploads at once of `bytes` each in `chunkBytes` PATCHes, or paced ones. */
export type UploadScenario =
  | { readonly kind: 'max'; readonly uploads: number; readonly bytes: number; readonly chunkBytes: number }
  | {
      readonly kind: 'paced'
      readonly uploads: number
      readonly chunkBytes: number
      readonly everyMs: number
      readonly durationMs: number
    }

export interface UploadRound {
  /** MB (10^6 bytes) stored per second of wall time, from the first PATCH to the last completion. */
  readonly mbps: number
  /** Server CPU seconds (user + system) per GB (10^9 bytes) stored. */
  readonly cpuPerGB: number
  /** Peak resident memory of the server during the round (VmHWM, reset first). */
  readonly rssBytes: number
  /** Paced uploads that kept up: no error, and no PATCH ended more than a second after it was due. */
  readonly keptUp: number
  readonly uploads: number
  /** PATCH latency (ms) over every PATCH of the round; NaN for unpaced rounds. */
  readonly p50: number
  readonly p99: number
  /** Ms of the request that completed each upload (its last PATCH, or the §5 stop), median; NaN when paced. */
  readonly completeMs: number
  readonly errors: readonly string[]
}

/** A second of lag: the same bound as ingest's "acked within a second". */
const KEEP_UP_MS = 1000

export async function uploadRound(target: UploadTarget, scenario: UploadScenario): Promise<UploadRound> {
  const count = scenario.kind === 'max' ? 0 : Math.floor(scenario.durationMs / scenario.everyMs)
  const bytes = scenario.kind === 'max' ? scenario.bytes : count * scenario.chunkBytes
  const sessions: UploadSession[] = []
  for (let i = 0; i < scenario.uploads; i++) sessions.push(await target.create(bytes))
  const chunk = Buffer.alloc(scenario.chunkBytes, 7)
  const rss = new RssMeter(target.pid)
  rss.start()
  const cpuBefore = cpuSeconds(target.pid)
  const started = performance.now()
  let outcomes: (Awaited<ReturnType<typeof uploadPaced>> & { completeMs?: number })[]
  if (scenario.kind === 'max') {
    outcomes = await Promise.all(
      sessions.map((s) =>
        uploadAll(s, bytes, chunk).then(
          (completeMs) => ({ latencies: [], maxLagMs: 0, error: null, completeMs }),
          (error: unknown) => ({ latencies: [], maxLagMs: 0, error: String(error) }),
        ),
      ),
    )
  } else {
    outcomes = await Promise.all(sessions.map((s) => uploadPaced(s, chunk, count, scenario.everyMs)))
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = cpuSeconds(target.pid) - cpuBefore
  const rssBytes = rss.stop()
  target.cleanup()
  const latencies = outcomes.flatMap((o) => o.latencies)
  // A paced upload that fell hopelessly behind stopped early: count what was sent.
  const total = scenario.kind === 'max' ? bytes * sessions.length : latencies.length * scenario.chunkBytes
  return {
    mbps: total / 1e6 / seconds,
    cpuPerGB: cpu / (total / 1e9),
    rssBytes,
    keptUp: outcomes.filter((o) => o.error === null && o.maxLagMs <= KEEP_UP_MS).length,
    uploads: sessions.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    completeMs: median(outcomes.flatMap((o) => (o.completeMs === undefined ? [] : [o.completeMs]))),
    errors: [...new Set(outcomes.flatMap((o) => (o.error ? [o.error] : [])))],
  }
}

/** Medians of the rounds, except the worst keep-up count (every round must keep up) and the highest RSS. */
export function summariseUploads(rounds: readonly UploadRound[]): UploadRound {
  return {
    mbps: median(rounds.map((r) => r.mbps)),
    cpuPerGB: median(rounds.map((r) => r.cpuPerGB)),
    rssBytes: Math.max(...rounds.map((r) => r.rssBytes)),
    keptUp: Math.min(...rounds.map((r) => r.keptUp)),
    uploads: Math.max(...rounds.map((r) => r.uploads)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    completeMs: median(rounds.map((r) => r.completeMs)),
    errors: [...new Set(rounds.flatMap((r) => r.errors))],
  }
}

/**
 * Runs each target `rounds[i]` times (default `rounds[0]`), alternating round by round so drift in
 * machine load hits every target alike; resolves their summaries in the targets' order.
 */
export async function compareUploads(
  targets: readonly UploadTarget[],
  scenario: UploadScenario,
  rounds: readonly number[],
  log: (line: string) => void,
): Promise<UploadRound[]> {
  const results: UploadRound[][] = targets.map(() => [])
  const roundsOf = (i: number): number => rounds[i] ?? rounds[0] ?? 1
  const most = Math.max(...targets.map((_, i) => roundsOf(i)))
  for (let r = 0; r < most; r++) {
    for (const [i, target] of targets.entries()) {
      if (r >= roundsOf(i)) continue
      const round = await uploadRound(target, scenario)
      results[i]?.push(round)
      const paced = scenario.kind === 'paced'
      log(
        `  ${target.name.padEnd(12)} round ${r + 1}: ${round.mbps.toFixed(1)} MB/s, CPU ${round.cpuPerGB.toFixed(2)} s/GB, ` +
          `RSS ${(round.rssBytes / 2 ** 20).toFixed(0)} MiB` +
          (paced
            ? `, kept up ${round.keptUp}/${round.uploads}, PATCH p50 ${round.p50.toFixed(1)} ms p99 ${round.p99.toFixed(1)} ms`
            : `, completing request ${round.completeMs.toFixed(0)} ms`) +
          (round.errors.length ? `, errors: ${round.errors.join('; ')}` : ''),
      )
    }
  }
  return results.map(summariseUploads)
}
