import { join } from 'node:path'
import { type Child, emptyDir } from '../lib/children.js'
import type { Report } from '../lib/results.js'
import { type Service, signToken, startRecordings } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import type { Pace } from '../lib/stream-client.js'
import { FLOOD, runs, settings, VIDEO } from '../settings.js'
import { compareIngest, type IngestRound, type IngestTarget } from '../suites/ingest.js'

const MB = 1e6

export function rawTarget(raw: Child): IngestTarget {
  return {
    name: 'raw',
    pid: raw.pid,
    cleanup: () => emptyDir(raw.dataDir),
    endpoints: async (count) =>
      Array.from({ length: count }, () => ({
        url: `${raw.wsUrl}/streams/${crypto.randomUUID()}`,
        headers: {},
      })),
  }
}

/** Streams per user: under the service's default cap of 20 sockets per user (MAX_SOCKETS_PER_USER). */
const STREAMS_PER_USER = 10

/** The service as an ingest target, `name`d in the log. */
export async function serviceTarget(service: Service, name = 'service'): Promise<IngestTarget> {
  // Many users, as in production: per-user state (rate limits, caches, socket caps) stays realistic.
  const tokens: string[] = []
  return {
    name,
    pid: service.pid,
    cleanup: () => emptyDir(join(service.dataDir, 'media')),
    endpoints: async (count) => {
      const users = Math.max(20, Math.ceil(count / STREAMS_PER_USER))
      while (tokens.length < users) tokens.push(await signToken(crypto.randomUUID()))
      // Stream i belongs to user i % users; 50 starts in flight at a time, as before.
      const out: { url: string; headers: Record<string, string> }[] = []
      let next = 0
      const worker = async (): Promise<void> => {
        for (let i = next++; i < count; i = next++) {
          const token = tokens[i % users] ?? ''
          const [id] = await startRecordings(service.url, token, 1)
          out.push({
            url: `${service.wsUrl}/api/v1/recordings/${id}/stream`,
            headers: { authorization: `Bearer ${token}` },
          })
        }
      }
      await Promise.all(Array.from({ length: Math.min(50, count) }, worker))
      return out
    },
  }
}

const mib = (bytes: number): string => `${fmt(bytes / MB)} MB`

/** Ingest (a), (b), (c): the service against the raw `ws` + file baseline. */
export async function ingestStep(
  raw: Child,
  service: Service,
  report: Report,
  log: (s: string) => void,
): Promise<void> {
  const targets = [rawTarget(raw), await serviceTarget(service)]
  const run = async (
    label: string,
    streams: number,
    seconds: number,
    pace: Pace,
    rounds: { baseline: number; service: number },
  ) => {
    log(`ingest: ${label}`)
    const [base, svc] = await compareIngest(
      targets,
      { streams, durationMs: seconds * 1000, pace },
      rounds,
      log,
    )
    if (!base || !svc) throw new Error('no ingest figures')
    return { base, svc }
  }
  for (const streams of runs('flood') ? [1, 8] : []) {
    const { base, svc } = await run(`${streams} stream(s), flood`, streams, settings.ingestSeconds, FLOOD, {
      baseline: settings.ingestRounds,
      service: settings.ingestRounds,
    })
    const ratio = svc.mbps / base.mbps
    report.rows.push({
      figure: `ingest, ${streams} stream${streams > 1 ? 's' : ''}, acked MB/s (${settings.ingestSeconds} s)`,
      service: fmt(svc.mbps),
      baseline: fmt(base.mbps),
      ratio: `${fmt(ratio * 100)} %`,
      target: '≥ 90 % of raw',
      met: ratio >= 0.9,
    })
  }
  if (runs('video')) {
    const streams = settings.videoStreams
    const { base, svc } = await run(`${streams} × 2.5 Mbit/s`, streams, settings.pacedSeconds, VIDEO, {
      baseline: settings.pacedBaselineRounds,
      service: settings.pacedRounds,
    })
    pacedRows(report, `${streams} × 2.5 Mbit/s, ${settings.pacedSeconds} s`, base, svc, {
      p99Ms: null,
      p99Raw: 2,
    })
  }
}

/** The targets of a paced scenario: an absolute ack p99 (or none), and multiples of raw's p99 and RSS. */
export interface PacedTargets {
  readonly p99Ms: number | null
  readonly p99Raw: number
}

/** The issue's rows of a paced scenario; every paced scenario's RSS target is ≤ 1.5× raw's. */
export function pacedRows(
  report: Report,
  name: string,
  base: IngestRound,
  svc: IngestRound,
  targets: PacedTargets,
): void {
  const p99Ratio = svc.p99 / base.p99
  const rssRatio = svc.rssBytes / base.rssBytes
  report.rows.push(
    {
      figure: `${name}: streams that kept up`,
      service: `${svc.keptUp}/${svc.streams}${svc.errors.length ? ` (${svc.errors.join(', ')})` : ''}`,
      baseline: `${base.keptUp}/${base.streams}`,
      ratio: '',
      target: 'all',
      met: svc.keptUp === svc.streams,
    },
    {
      figure: `${name}: ack p50`,
      service: `${fmt(svc.p50)} ms`,
      baseline: `${fmt(base.p50)} ms`,
      ratio: '',
      target: '',
      met: null,
    },
    {
      figure: `${name}: ack p99`,
      service: `${fmt(svc.p99)} ms`,
      baseline: `${fmt(base.p99)} ms`,
      ratio: `${fmt(p99Ratio)}×`,
      target: `${targets.p99Ms === null ? '' : `≤ ${targets.p99Ms} ms and `}≤ ${targets.p99Raw}× raw`,
      met: (targets.p99Ms === null || svc.p99 <= targets.p99Ms) && p99Ratio <= targets.p99Raw,
    },
    {
      figure: `${name}: server RSS peak`,
      service: mib(svc.rssBytes),
      baseline: mib(base.rssBytes),
      ratio: `${fmt(rssRatio)}×`,
      target: '≤ 1.5× raw',
      met: rssRatio <= 1.5,
    },
    {
      figure: `${name}: stop → all completed`,
      service: `${fmt(svc.stopSeconds)} s`,
      baseline: `${fmt(base.stopSeconds)} s`,
      ratio: '',
      target: '',
      met: null,
    },
  )
}
