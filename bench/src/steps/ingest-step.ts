import { join } from 'node:path'
import { type Child, emptyDir } from '../lib/children.js'
import type { Report } from '../lib/results.js'
import { type Service, signToken, startRecordings } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import type { Pace } from '../lib/stream-client.js'
import { AUDIO, FLOOD, runs, settings, VIDEO } from '../settings.js'
import { compareIngest, type IngestRound, type IngestTarget } from '../suites/ingest.js'

const MB = 1e6

function rawTarget(raw: Child): IngestTarget {
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

/**
 * The service as an ingest target, `name`d in the log. Streams are spread over many users, as in
 * production, ten each: per-user state (rate limits, caches) stays realistic, and no user passes
 * SPEC §6.9's cap of open streams (MAX_SOCKETS_PER_USER, 20 by default).
 */
export async function serviceTarget(service: Service, name = 'service'): Promise<IngestTarget> {
  const tokens: string[] = []
  return {
    name,
    pid: service.pid,
    cleanup: () => emptyDir(join(service.dataDir, 'media')),
    endpoints: async (count) => {
      const users = Math.max(1, Math.ceil(count / STREAMS_PER_USER))
      while (tokens.length < users) tokens.push(await signToken(crypto.randomUUID()))
      const out: { url: string; headers: Record<string, string> }[] = []
      for (const [i, token] of tokens.slice(0, users).entries()) {
        const share = Math.floor(count / users) + (i < count % users ? 1 : 0)
        const ids = await startRecordings(service.url, token, share)
        for (const id of ids) {
          out.push({
            url: `${service.wsUrl}/api/v1/recordings/${id}/stream`,
            headers: { authorization: `Bearer ${token}` },
          })
        }
      }
      return out
    },
  }
}

/** Streams per user in the ingest suites: half the default cap of open streams per user. */
const STREAMS_PER_USER = 10

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
      target: '≥ 85 % of raw',
      met: ratio >= 0.85,
    })
  }
  const paced = [
    {
      label: 'video' as const,
      streams: settings.videoStreams,
      pace: VIDEO,
      rate: '2.5 Mbit/s',
      p99: 50,
      rss: 250,
    },
    {
      label: 'audio' as const,
      streams: settings.audioStreams,
      pace: AUDIO,
      rate: '64 kbit/s',
      p99: 100,
      rss: 400,
    },
  ]
  for (const p of paced.filter((p) => runs(p.label))) {
    const { base, svc } = await run(`${p.streams} × ${p.rate}`, p.streams, settings.pacedSeconds, p.pace, {
      baseline: settings.pacedBaselineRounds,
      service: settings.pacedRounds,
    })
    pacedRows(report, `${p.streams} × ${p.rate}, ${settings.pacedSeconds} s`, base, svc, p.p99, p.rss)
  }
}

function pacedRows(
  report: Report,
  name: string,
  base: IngestRound,
  svc: IngestRound,
  p99: number,
  rss: number,
): void {
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
      ratio: '',
      target: `≤ ${p99} ms`,
      met: svc.p99 <= p99,
    },
    {
      figure: `${name}: server RSS peak`,
      service: mib(svc.rssBytes),
      baseline: mib(base.rssBytes),
      ratio: `${fmt(svc.rssBytes / base.rssBytes)}×`,
      target: `≤ ${rss} MB`,
      met: svc.rssBytes <= rss * MB,
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
