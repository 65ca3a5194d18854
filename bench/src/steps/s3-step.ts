import { serviceS3Env, startTestS3 } from '../../../test/support/s3-server.js'
import { childPid, cpuSeconds } from '../lib/children.js'
import type { Report } from '../lib/results.js'
import { type Service, startService, stopService } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import { FLOOD, settings, VIDEO } from '../settings.js'
import { compareIngest } from '../suites/ingest.js'
import { serviceTarget } from './ingest-step.js'

/**
 * Ingest with BLOB_STORE=s3 against the local S3 server (s3rver as a child process, or
 * TEST_S3_ENDPOINT), compared with the same service on the file system in the same run: 1 stream
 * as fast as backpressure allows, and the 200 × 2.5 Mbit/s video streams.
 */
export async function s3Step(
  fsService: Service,
  databaseUrl: string,
  report: Report,
  log: (s: string) => void,
  cpuProfDir?: string,
): Promise<void> {
  const s3 = await startTestS3()
  // s3rver runs in its own process: its CPU over each comparison says whether it is the limit.
  const s3rver = childPid('s3rver')
  const s3rverCpu = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const before = s3rver ? cpuSeconds(s3rver) : 0
    const result = await run()
    if (s3rver)
      log(`  s3rver (pid ${s3rver}) CPU over ${label}: ${(cpuSeconds(s3rver) - before).toFixed(1)} s`)
    return result
  }
  let s3Service: Service | null = null
  try {
    s3Service = await startService({
      databaseUrl,
      ...(cpuProfDir ? { cpuProfDir } : {}),
      env: serviceS3Env(s3, await s3.newBucket()),
    })
    const targets = [await serviceTarget(fsService, 'fs'), await serviceTarget(s3Service, 's3')]
    log(`s3 (${s3.kind}): 1 stream, flood`)
    const rounds = { baseline: settings.s3Rounds, service: settings.s3Rounds }
    const scenario = { streams: 1, durationMs: settings.ingestSeconds * 1000, pace: FLOOD }
    const [fs1, s31] = await s3rverCpu('the flood rounds', () =>
      compareIngest(targets, scenario, rounds, log),
    )
    if (!fs1 || !s31) throw new Error('no S3 ingest figures')
    report.rows.push({
      figure: `S3 (${s3.kind}): ingest, 1 stream, acked MB/s (${settings.ingestSeconds} s)`,
      service: fmt(s31.mbps),
      baseline: `${fmt(fs1.mbps)} (fs)`,
      ratio: `${fmt((s31.mbps / fs1.mbps) * 100)} %`,
      target: '',
      met: null,
    })
    const streams = settings.videoStreams
    log(`s3: ${streams} × 2.5 Mbit/s`)
    const paced = { streams, durationMs: settings.s3PacedSeconds * 1000, pace: VIDEO }
    const [fsV, s3V] = await s3rverCpu('the paced rounds', () =>
      compareIngest(targets, paced, { baseline: 1, service: 1 }, log),
    )
    if (!fsV || !s3V) throw new Error('no S3 ingest figures')
    const name = `S3: ${streams} × 2.5 Mbit/s, ${settings.s3PacedSeconds} s`
    report.rows.push(
      {
        figure: `${name}: streams that kept up (acked MB/s)`,
        service: `${s3V.keptUp}/${s3V.streams} (${fmt(s3V.mbps)})${s3V.errors.length ? ` (${s3V.errors.join(', ')})` : ''}`,
        baseline: `${fsV.keptUp}/${fsV.streams} (${fmt(fsV.mbps)}) (fs)`,
        ratio: `${fmt((s3V.mbps / fsV.mbps) * 100)} % MB/s`,
        target: 'all',
        met: s3V.keptUp === s3V.streams,
      },
      {
        figure: `${name}: ack p50 / p99`,
        service: `${fmt(s3V.p50)} / ${fmt(s3V.p99)} ms`,
        baseline: `${fmt(fsV.p50)} / ${fmt(fsV.p99)} ms (fs)`,
        ratio: `${fmt(s3V.p99 / fsV.p99)}× p99`,
        target: '',
        met: null,
      },
      {
        figure: `${name}: server RSS peak`,
        service: `${fmt(s3V.rssBytes / 1e6)} MB`,
        baseline: `${fmt(fsV.rssBytes / 1e6)} MB (fs)`,
        ratio: `${fmt(s3V.rssBytes / fsV.rssBytes)}×`,
        target: '',
        met: null,
      },
    )
  } finally {
    if (s3Service) await stopService(s3Service)
    await s3.dispose()
  }
}
