import { join } from 'node:path'
import { type Child, emptyDir } from '../lib/children.js'
import type { Report } from '../lib/results.js'
import { type Service, signToken, startRecordings } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import { settings } from '../settings.js'
import { compareUploads, type UploadRound, type UploadScenario, type UploadTarget } from '../suites/upload.js'

const MiB = 1024 * 1024
const TUS = { 'tus-resumable': '1.0.0' } as const

/** The raw `node:http` append server: the client names the upload, its first PATCH creates it. */
export function rawTarget(raw: Child): UploadTarget {
  return {
    name: 'raw',
    pid: raw.pid,
    cleanup: () => emptyDir(raw.dataDir),
    create: async () => ({ url: `${raw.url}/uploads/${crypto.randomUUID()}`, headers: {} }),
  }
}

/** tus creation (`POST` with Upload-Length) on `endpoint`; the upload URL is the Location. */
async function tusCreate(endpoint: string, length: number, headers: Record<string, string>): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { ...headers, ...TUS, 'upload-length': String(length) },
  })
  const location = res.headers.get('location')
  await res.arrayBuffer()
  if (res.status !== 201 || !location) throw new Error(`tus creation at ${endpoint} answered ${res.status}`)
  return new URL(location, endpoint).toString()
}

/** @tus/server + @tus/file-store in their default configuration. */
export function tusPeerTarget(peer: Child): UploadTarget {
  return {
    name: '@tus/server',
    pid: peer.pid,
    cleanup: () => emptyDir(join(peer.dataDir, 'files')),
    create: async (length) => ({ url: await tusCreate(`${peer.url}/files`, length, {}), headers: TUS }),
  }
}

const base64 = (text: string): string => Buffer.from(text).toString('base64')

/**
 * The service, as `PATCH` (SPEC §5: `POST start`, PATCHes, `POST stop`, which the timing includes
 * since the upload is not complete before it) or as tus (§9: `POST /uploads` with Upload-Length,
 * then PATCHes with Tus-Resumable; the last one completes the recording). Uploads spread over 20
 * users, as in production.
 */
export async function serviceTargets(service: Service): Promise<[UploadTarget, UploadTarget]> {
  const tokens = await Promise.all(Array.from({ length: 20 }, () => signToken(crypto.randomUUID())))
  let next = 0
  const auth = (): { authorization: string } => ({
    authorization: `Bearer ${tokens[next++ % tokens.length]}`,
  })
  const cleanup = (): void => emptyDir(join(service.dataDir, 'media'))
  const patch: UploadTarget = {
    name: 'service PATCH',
    pid: service.pid,
    cleanup,
    create: async () => {
      const headers = auth()
      const token = headers.authorization.slice('Bearer '.length)
      const [id] = await startRecordings(service.url, token, 1)
      const url = `${service.url}/api/v1/recordings/${id}`
      return {
        url: `${url}/content`,
        headers,
        finish: async () => {
          const res = await fetch(`${url}/stop`, { method: 'POST', headers })
          await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`stop answered ${res.status}`)
        },
      }
    },
  }
  const tus: UploadTarget = {
    name: 'service tus',
    pid: service.pid,
    cleanup,
    create: async (length) => {
      const headers = auth()
      const metadata = `sessionId ${base64(crypto.randomUUID())},format ${base64('webm')}`
      const url = await tusCreate(`${service.url}/api/v1/uploads`, length, {
        ...headers,
        'upload-metadata': metadata,
      })
      return { url, headers: { ...headers, ...TUS } }
    },
  }
  return [patch, tus]
}

const mb = (bytes: number): string => `${fmt(bytes / 1e6)} MB`
const errorsOf = (r: UploadRound): string => (r.errors.length ? ` (errors: ${r.errors.join('; ')})` : '')

/**
 * HTTP ingest peers: the service's §5 PATCH and its tus endpoint against @tus/server with
 * @tus/file-store and a raw `node:http` append server, interleaved rounds, medians.
 */
export async function uploadStep(
  raw: Child,
  tusPeer: Child,
  service: Service,
  report: Report,
  log: (s: string) => void,
): Promise<void> {
  const [servicePatch, serviceTus] = await serviceTargets(service)
  const targets = [rawTarget(raw), tusPeerTarget(tusPeer), servicePatch, serviceTus]
  const size = settings.uploadBytes
  const parallelSize = settings.uploadParallelBytes
  const cases: { label: string; scenario: UploadScenario }[] = [
    {
      label: `1 × ${size / MiB} MiB in 8 MiB PATCHes`,
      scenario: { kind: 'max', uploads: 1, bytes: size, chunkBytes: 8 * MiB },
    },
    {
      label: `1 × ${size / MiB} MiB in 256 KiB PATCHes`,
      scenario: { kind: 'max', uploads: 1, bytes: size, chunkBytes: 256 * 1024 },
    },
    {
      label: `8 × ${parallelSize / MiB} MiB at once in 8 MiB PATCHes`,
      scenario: { kind: 'max', uploads: 8, bytes: parallelSize, chunkBytes: 8 * MiB },
    },
  ]
  for (const { label, scenario } of cases) {
    log(`upload: ${label}`)
    const [r, t, p, s] = await compareUploads(targets, scenario, [settings.uploadRounds], log)
    if (!r || !t || !p || !s) throw new Error('no upload figures')
    for (const [name, svc] of [
      ['PATCH (§5)', p],
      ['tus (§9)', s],
    ] as const) {
      const vsTus = svc.mbps / t.mbps
      const vsRaw = svc.mbps / r.mbps
      report.rows.push({
        figure: `upload ${label}, service ${name}: MB/s`,
        service: `${fmt(svc.mbps)}${errorsOf(svc)}`,
        baseline: `@tus/server ${fmt(t.mbps)}${errorsOf(t)} · raw ${fmt(r.mbps)}${errorsOf(r)}`,
        ratio: `${fmt(vsTus)}× tus · ${fmt(vsRaw)}× raw`,
        target: '≥ 1.3× @tus/server, ≥ 0.8× raw',
        met: vsTus >= 1.3 && vsRaw >= 0.8 && svc.errors.length === 0,
      })
    }
    const ms = (x: UploadRound): string => `${fmt(x.completeMs)} ms`
    report.rows.push({
      figure: `upload ${label}: the completing request (last PATCH; §5: the stop)`,
      service: `PATCH ${ms(p)} · tus ${ms(s)}`,
      baseline: `@tus/server ${ms(t)} · raw ${ms(r)}`,
      ratio: '',
      target: '',
      met: null,
    })
    costRows(report, `upload ${label}`, { r, t, p, s })
  }

  const paced = {
    kind: 'paced',
    uploads: settings.pacedUploads,
    chunkBytes: 256 * 1024,
    everyMs: 250,
    durationMs: settings.pacedUploadSeconds * 1000,
  } as const
  const label = `${paced.uploads} uploads × 256 KiB / 250 ms, ${settings.pacedUploadSeconds} s`
  log(`upload: ${label}`)
  const rounds = settings.pacedUploadRounds
  const [r, t, p, s] = await compareUploads(
    targets,
    paced,
    [rounds, settings.pacedUploadPeerRounds, rounds, rounds],
    log,
  )
  if (!r || !t || !p || !s) throw new Error('no paced upload figures')
  const kept = (x: UploadRound): string => `${x.keptUp}/${x.uploads}${errorsOf(x)}`
  const lat = (x: UploadRound): string => `${fmt(x.p50)} / ${fmt(x.p99)} ms`
  report.rows.push(
    {
      figure: `${label}: uploads that kept up (worst round)`,
      service: `PATCH ${kept(p)} · tus ${kept(s)}`,
      baseline: `@tus/server ${kept(t)} · raw ${kept(r)}`,
      ratio: '',
      target: 'all, in every round',
      met: p.keptUp === p.uploads && s.keptUp === s.uploads,
    },
    {
      figure: `${label}: PATCH latency p50 / p99`,
      service: `PATCH ${lat(p)} · tus ${lat(s)}`,
      baseline: `@tus/server ${lat(t)} · raw ${lat(r)}`,
      ratio: `p99 ${fmt(p.p99 / r.p99)}× · ${fmt(s.p99 / r.p99)}× raw`,
      target: "p99 ≤ 2× raw's",
      met: p.p99 <= 2 * r.p99 && s.p99 <= 2 * r.p99,
    },
  )
  costRows(report, label, { r, t, p, s })
}

/** Server CPU per GB stored and peak RSS of the four servers, informational. */
function costRows(
  report: Report,
  label: string,
  { r, t, p, s }: Record<'r' | 't' | 'p' | 's', UploadRound>,
): void {
  const cpu = (x: UploadRound): string => `${fmt(x.cpuPerGB)} s/GB`
  report.rows.push(
    {
      figure: `${label}: server CPU per GB stored`,
      service: `PATCH ${cpu(p)} · tus ${cpu(s)}`,
      baseline: `@tus/server ${cpu(t)} · raw ${cpu(r)}`,
      ratio: `${fmt(p.cpuPerGB / r.cpuPerGB)}× · ${fmt(s.cpuPerGB / r.cpuPerGB)}× raw`,
      target: '',
      met: null,
    },
    {
      figure: `${label}: server RSS peak`,
      service: `PATCH ${mb(p.rssBytes)} · tus ${mb(s.rssBytes)}`,
      baseline: `@tus/server ${mb(t.rssBytes)} · raw ${mb(r.rssBytes)}`,
      ratio: '',
      target: '',
      met: null,
    },
  )
}
