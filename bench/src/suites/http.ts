import autocannon from 'autocannon'
import { median } from '../lib/stats.js'

export interface HttpFigure {
  readonly rps: number
  readonly p99: number
  /** Responses that were not 2xx, summed over rounds: any at all makes the figure suspect. */
  readonly non2xx: number
  readonly errors: number
}

export interface HttpLoad {
  readonly name: string
  readonly url: string
  readonly options: Omit<autocannon.Options, 'url' | 'duration' | 'connections'>
  /** Fewer rounds than the others (a figure with no baseline to alternate with), to fit 10 minutes. */
  readonly rounds?: number
}

async function cannon(load: HttpLoad, seconds: number, connections: number): Promise<HttpFigure> {
  const result = await autocannon({ ...load.options, url: load.url, duration: seconds, connections })
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/**
 * Warms each load up once, then runs `rounds` rounds of every load in turn (so a noisy neighbour
 * hits them alike); each figure is the median over rounds.
 */
export async function compareHttp(
  loads: readonly HttpLoad[],
  opts: { seconds: number; warmupSeconds: number; rounds: number; connections: number },
  log: (line: string) => void,
): Promise<HttpFigure[]> {
  for (const load of loads) await cannon(load, opts.warmupSeconds, opts.connections)
  const rounds: HttpFigure[][] = loads.map(() => [])
  for (let r = 0; r < opts.rounds; r++) {
    for (const [i, load] of loads.entries()) {
      if (r >= (load.rounds ?? opts.rounds)) continue
      const figure = await cannon(load, opts.seconds, opts.connections)
      rounds[i]?.push(figure)
      log(
        `  ${load.name} round ${r + 1}: ${figure.rps.toFixed(0)} req/s, p99 ${figure.p99} ms` +
          `${figure.non2xx ? `, ${figure.non2xx} non-2xx` : ''}${figure.errors ? `, ${figure.errors} errors` : ''}`,
      )
    }
  }
  return rounds.map((figures) => ({
    rps: median(figures.map((f) => f.rps)),
    p99: median(figures.map((f) => f.p99)),
    non2xx: figures.reduce((sum, f) => sum + f.non2xx, 0),
    errors: figures.reduce((sum, f) => sum + f.errors, 0),
  }))
}

/** POST start then POST stop of what it started, for a fresh session each time. */
export function startStopLoad(url: string, token: string): HttpLoad {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  return {
    name: 'start+stop',
    url,
    options: {
      requests: [
        {
          method: 'POST',
          path: '/api/v1/recordings/start',
          headers,
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ sessionId: crypto.randomUUID() }),
          }),
          onResponse: (_status, body, context) => {
            ;(context as { id?: string }).id = (JSON.parse(body) as { id?: string }).id
          },
        },
        {
          method: 'POST',
          headers,
          setupRequest: (request, context) => ({
            ...request,
            path: `/api/v1/recordings/${(context as { id?: string }).id ?? 'missing'}/stop`,
          }),
        },
      ],
    },
  }
}
