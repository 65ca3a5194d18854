import type { Child } from '../lib/children.js'
import type { Report } from '../lib/results.js'
import { type Service, signToken, startRecordings } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import { settings } from '../settings.js'
import { compareHttp, startStopLoad } from '../suites/http.js'
import { HEAVY_USER } from '../suites/seed.js'

/** Status (cache hit) against the Hono ceiling, the heavy user's list, and start + stop pairs. */
export async function httpStep(
  hono: Child,
  service: Service,
  report: Report,
  log: (s: string) => void,
): Promise<void> {
  const token = await signToken(crypto.randomUUID())
  const [id] = await startRecordings(service.url, token, 1)
  const statusPath = `/api/v1/recordings/${id}/status`
  // The first read fills the cache; every request after it is a hit.
  await fetch(`${service.url}${statusPath}`, { headers: { authorization: `Bearer ${token}` } })
  const heavyToken = await signToken(HEAVY_USER)
  const auth = (t: string) => ({ authorization: `Bearer ${t}` })
  log('http: status vs Hono ceiling, list, start+stop')
  const [status, ceiling, list, pairs] = await compareHttp(
    [
      { name: 'status', url: `${service.url}${statusPath}`, options: { headers: auth(token) } },
      { name: 'hono', url: `${hono.url}/status`, options: {} },
      {
        name: 'list',
        url: `${service.url}/api/v1/recordings?page=1&limit=20`,
        options: { headers: { ...auth(heavyToken), 'accept-encoding': 'gzip' } },
        rounds: settings.httpSoloRounds,
      },
      {
        ...startStopLoad(service.url, await signToken(crypto.randomUUID())),
        rounds: settings.httpSoloRounds,
      },
    ],
    {
      seconds: settings.httpSeconds,
      warmupSeconds: settings.httpWarmupSeconds,
      rounds: settings.httpRounds,
      connections: 50,
    },
    log,
  )
  if (!status || !ceiling || !list || !pairs) throw new Error('no HTTP figures')
  const suspect = (f: { non2xx: number; errors: number }): string =>
    f.non2xx || f.errors ? ` (${f.non2xx} non-2xx, ${f.errors} errors)` : ''
  const ratio = status.rps / ceiling.rps
  report.rows.push(
    {
      figure: 'GET status with JWT, cache hit, 50 conns: req/s',
      service: `${fmt(status.rps)}${suspect(status)}`,
      baseline: fmt(ceiling.rps),
      ratio: `${fmt(ratio * 100)} %`,
      target: '≥ 60 % of Hono',
      met: ratio >= 0.6,
    },
    {
      figure: 'GET status with JWT, cache hit: p99',
      service: `${status.p99} ms`,
      baseline: `${ceiling.p99} ms`,
      ratio: '',
      target: '≤ 20 ms',
      met: status.p99 <= 20,
    },
    {
      figure: 'GET list limit=20, user with 10,000 recordings, 50 conns: p99',
      service: `${list.p99} ms (${fmt(list.rps)} req/s)${suspect(list)}`,
      baseline: '',
      ratio: '',
      target: '≤ 25 ms',
      met: list.p99 <= 25,
    },
    {
      figure: 'POST start + stop pairs, 50 conns: req/s, p99',
      service: `${fmt(pairs.rps)} req/s, p99 ${pairs.p99} ms${suspect(pairs)}`,
      baseline: '',
      ratio: '',
      target: '',
      met: null,
    },
  )
}
