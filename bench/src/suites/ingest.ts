import { cpuSeconds, RssMeter } from '../lib/children.js'
import { median, percentile } from '../lib/stats.js'
import { IngestStream, type Pace } from '../lib/stream-client.js'

/** Something that accepts streams: the raw baseline or the service. */
export interface IngestTarget {
  readonly name: string
  readonly pid: number
  /** `count` stream endpoints ready to be opened (the service starts a recording for each). */
  endpoints(count: number): Promise<{ url: string; headers: Record<string, string> }[]>
  /** Deletes what a round stored (every stream of it has completed). */
  cleanup(): void
}

export interface IngestRound {
  readonly mbps: number
  readonly keptUp: number
  readonly streams: number
  readonly p50: number
  readonly p99: number
  readonly rssBytes: number
  /** Seconds from sending stop to the last `completed` (every recording finalised). */
  readonly stopSeconds: number
  /** Server CPU while streaming, in cores (1 = one core busy all the time). */
  readonly cpuCores: number
  readonly errors: readonly string[]
}

export interface IngestScenario {
  readonly streams: number
  readonly durationMs: number
  readonly pace: Pace
}

/** Opens every stream (a batch at a time, like clients arriving), streams, then stops them all. */
export async function ingestRound(target: IngestTarget, scenario: IngestScenario): Promise<IngestRound> {
  const endpoints = await target.endpoints(scenario.streams)
  const latencies: number[] = []
  const rss = new RssMeter(target.pid)
  rss.start()
  const streams: IngestStream[] = []
  for (let i = 0; i < endpoints.length; i += 100) {
    const batch = endpoints.slice(i, i + 100).map((e) => new IngestStream(e.url, e.headers, latencies))
    await Promise.all(batch.map((s) => s.ready()))
    streams.push(...batch)
  }
  const cpuBefore = cpuSeconds(target.pid)
  const sending = performance.now()
  const outcomes = await Promise.all(streams.map((s) => s.run(scenario.durationMs, scenario.pace)))
  const cpuCores = (cpuSeconds(target.pid) - cpuBefore) / ((performance.now() - sending) / 1000)
  const rssBytes = rss.stop()
  const stopping = performance.now()
  for (let i = 0; i < streams.length; i += 200)
    await Promise.all(streams.slice(i, i + 200).map((s) => s.stop()))
  target.cleanup()
  const acked = outcomes.reduce((sum, o) => sum + o.ackedInWindow, 0)
  return {
    mbps: acked / 1e6 / (scenario.durationMs / 1000),
    keptUp: outcomes.filter((o) => o.keptUp).length,
    streams: streams.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rssBytes,
    stopSeconds: (performance.now() - stopping) / 1000,
    cpuCores,
    errors: [...new Set(outcomes.flatMap((o) => (o.error ? [o.error] : [])))],
  }
}

/** The figures of several rounds: medians, except the worst keep-up count and the highest RSS. */
export function summarise(rounds: readonly IngestRound[]): IngestRound {
  return {
    mbps: median(rounds.map((r) => r.mbps)),
    keptUp: Math.min(...rounds.map((r) => r.keptUp)),
    streams: Math.max(...rounds.map((r) => r.streams)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    rssBytes: Math.max(...rounds.map((r) => r.rssBytes)),
    stopSeconds: median(rounds.map((r) => r.stopSeconds)),
    cpuCores: median(rounds.map((r) => r.cpuCores)),
    errors: [...new Set(rounds.flatMap((r) => r.errors))],
  }
}

/** Runs `rounds` rounds against each target, alternating, so drift in machine load hits both. */
export async function compareIngest(
  targets: readonly IngestTarget[],
  scenario: IngestScenario,
  rounds: { readonly baseline: number; readonly service: number },
  log: (line: string) => void,
): Promise<IngestRound[]> {
  const results: IngestRound[][] = targets.map(() => [])
  for (let r = 0; r < Math.max(rounds.baseline, rounds.service); r++) {
    for (const [i, target] of targets.entries()) {
      // The first target is the baseline.
      if (r >= (i === 0 ? rounds.baseline : rounds.service)) continue
      const round = await ingestRound(target, scenario)
      results[i]?.push(round)
      log(
        `  ${target.name} round ${r + 1}: ${round.mbps.toFixed(1)} MB/s, kept up ${round.keptUp}/${round.streams}, ` +
          `ack p50 ${round.p50.toFixed(1)} ms p99 ${round.p99.toFixed(1)} ms, RSS ${(round.rssBytes / 2 ** 20).toFixed(0)} MiB, CPU ${round.cpuCores.toFixed(2)}` +
          `${round.errors.length ? `, errors ${round.errors.join(',')}` : ''}`,
      )
    }
  }
  return results.map(summarise)
}
