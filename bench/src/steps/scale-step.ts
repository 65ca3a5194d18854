import { basename } from 'node:path'
import type { Child } from '../lib/children.js'
import type { Report } from '../lib/results.js'
import { type ScalePoint, writeScalingSvg } from '../lib/scaling-plot.js'
import type { Service } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import { AUDIO, settings } from '../settings.js'
import { compareIngest, type IngestRound } from '../suites/ingest.js'
import { pacedRows, rawTarget, serviceTarget } from './ingest-step.js'

/** A point "keeps up" when every stream kept up and the ack p99 is within this. */
const KEEP_UP_P99_MS = 100
/** The point that carries the issue's 2,000 × 64 kbit/s rows. */
const TARGET_POINT = 2000

const point = (target: string, streams: number, r: IngestRound): ScalePoint => ({
  target,
  streams,
  keptUp: r.keptUp,
  p99Ms: r.p99,
  cpuMsPerStream: (r.cpuCores * 1000) / streams,
  rssKbPerStream: r.rssBytes / 1000 / streams,
})

const keepsUp = (p: ScalePoint): boolean => p.keptUp === p.streams && p.p99Ms <= KEEP_UP_P99_MS

/** The largest count whose point and every smaller one kept up; 0 when the first did not. */
function largestKeepingUp(points: readonly ScalePoint[]): number {
  let largest = 0
  for (const p of [...points].sort((a, b) => a.streams - b.streams)) {
    if (!keepsUp(p)) break
    largest = p.streams
  }
  return largest
}

const describe = (p: ScalePoint, errors: readonly string[]): string =>
  `${p.keptUp}/${p.streams} kept up${errors.length ? ` (${errors.join(', ')})` : ''}, p99 ${fmt(p.p99Ms)} ms, ` +
  `CPU ${fmt(p.cpuMsPerStream)} ms/s, RSS ${fmt(p.rssKbPerStream)} KB per stream`

/**
 * The scaling curve: `settings.scaleCounts` WebSocket streams at 64 kbit/s in 250 ms frames, rounds
 * against raw and the service taking turns at each count (medians where there are several,
 * `settings.scaleRounds`); writes the curve to `svgPath`.
 */
export async function scaleStep(
  raw: Child,
  service: Service,
  report: Report,
  svgPath: string,
  log: (s: string) => void,
): Promise<void> {
  const targets = [rawTarget(raw), await serviceTarget(service)]
  const points: ScalePoint[] = []
  const lines: string[] = []
  const seconds = settings.scaleSeconds
  for (const streams of settings.scaleCounts) {
    const rounds = settings.scaleRounds[streams] ?? 1
    log(`scale: ${streams} × 64 kbit/s, ${seconds} s, ${rounds} round(s) each`)
    const [base, svc] = await compareIngest(
      targets,
      { streams, durationMs: seconds * 1000, pace: AUDIO },
      { baseline: rounds, service: rounds },
      log,
    )
    if (!base || !svc) throw new Error('no scaling figures')
    const b = point('raw', streams, base)
    const s = point('service', streams, svc)
    points.push(b, s)
    report.rows.push({
      figure: `scale, ${streams} × 64 kbit/s, ${seconds} s`,
      service: describe(s, svc.errors),
      baseline: describe(b, base.errors),
      ratio: `p99 ${fmt(svc.p99 / base.p99)}×, CPU ${fmt(svc.cpuCores / base.cpuCores)}×, RSS ${fmt(svc.rssBytes / base.rssBytes)}×`,
      target: '',
      met: null,
    })
    lines.push(
      `| ${streams} | ${s.keptUp} | ${fmt(svc.p50)} | ${fmt(s.p99Ms)} | ${fmt(svc.cpuCores)} | ${fmt(s.cpuMsPerStream)} | ${fmt(svc.rssBytes / 1e6)} | ${fmt(s.rssKbPerStream)} ` +
        `| ${b.keptUp} | ${fmt(base.p50)} | ${fmt(b.p99Ms)} | ${fmt(base.cpuCores)} | ${fmt(b.cpuMsPerStream)} | ${fmt(base.rssBytes / 1e6)} | ${fmt(b.rssKbPerStream)} |`,
    )
    if (streams === TARGET_POINT) {
      pacedRows(report, `${streams} × 64 kbit/s, ${seconds} s`, base, svc, { p99Ms: 100, p99Raw: 3 })
    }
  }
  const largest = (target: string): number => largestKeepingUp(points.filter((p) => p.target === target))
  const svcMax = largest('service')
  const rawMax = largest('raw')
  const top = Math.max(...settings.scaleCounts)
  const ratio = rawMax ? svcMax / rawMax : Number.NaN
  report.rows.push({
    figure: `largest stream count (of ${settings.scaleCounts.join(', ')}) keeping up with ack p99 ≤ ${KEEP_UP_P99_MS} ms`,
    service: `${svcMax}${svcMax === top ? ' (every count tried)' : ''}`,
    baseline: `${rawMax}${rawMax === top ? ' (every count tried)' : ''}`,
    ratio: rawMax ? `${fmt(ratio * 100)} %` : 'raw kept up at no count',
    target: '≥ 75 % of raw',
    met: rawMax ? ratio >= 0.75 : null,
  })
  const roundsText = settings.scaleCounts.map((n) => `${settings.scaleRounds[n] ?? 1} at ${n}`).join(', ')
  await writeScalingSvg(
    svgPath,
    points,
    `${settings.scaleCounts.join(' / ')} streams × 64 kbit/s, 250 ms frames, ${seconds} s per point`,
  )
  report.sections.push({
    title: 'Scaling curve, 64 kbit/s streams',
    body: [
      `![ack p99, CPU and RSS per stream against the stream count](${basename(svgPath)})`,
      '',
      `${seconds} s rounds, raw and the service taking turns, raw first: ${roundsText}; figures`,
      "are medians of the rounds. CPU is the server's utime + stime from",
      '`/proc/<pid>/stat` over the sending window (cores), per stream in ms of CPU a second; RSS is the',
      'peak (VmHWM, reset before the round) in MB, per stream in KB (it includes the process base).',
      '',
      '| streams | svc kept up | svc p50 ms | svc p99 ms | svc CPU cores | svc CPU ms/s/stream | svc RSS MB | svc KB/stream | raw kept up | raw p50 ms | raw p99 ms | raw CPU cores | raw CPU ms/s/stream | raw RSS MB | raw KB/stream |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...lines,
    ].join('\n'),
  })
}
