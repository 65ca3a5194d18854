import type { Report } from '../lib/results.js'
import { type Service, signToken } from '../lib/service.js'
import { fmt } from '../lib/stats.js'
import { settings } from '../settings.js'
import { cursorForPage, explainRepoQueries, LIST_FILTERS, sequentialLatency } from '../suites/queries.js'
import { HEAVY_USER } from '../suites/seed.js'

/**
 * The heavy user's list at size through the API, one request at a time: page 1, page 500 by
 * `page` (OFFSET 9,980) and page 500 by `cursor`; then the plan of every repository statement.
 */
export async function dbStep(
  service: Service,
  databaseUrl: string,
  report: Report,
  log: (s: string) => void,
): Promise<void> {
  const token = await signToken(HEAVY_USER)
  const rows = settings.seedRows.toLocaleString('en')
  const base = `${service.url}/api/v1/recordings`
  for (const filter of LIST_FILTERS) {
    const cursor = await cursorForPage(base, token, filter.query, 500)
    const ways = [
      { name: 'page 1', query: `${filter.query}&limit=20`, deep: false },
      // The remedy for a slow OFFSET is the cursor: the deep-page target is the cursor's,
      // and the OFFSET row stays for comparison.
      { name: 'page 500 by page (OFFSET)', query: `${filter.query}&limit=20&page=500`, deep: false },
      { name: 'page 500 by cursor', query: `${filter.query}&limit=20&cursor=${cursor}`, deep: true },
    ]
    for (const way of ways) {
      const url = `${base}?${way.query}`
      await sequentialLatency(url, token, 5)
      const { p50, p99 } = await sequentialLatency(url, token, settings.dbRequests)
      log(`  list ${filter.name}, ${way.name}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`)
      report.rows.push({
        figure: `list at ${rows} rows, ${filter.name}, ${way.name}, single request: p99 (p50)`,
        service: `${fmt(p99)} ms (${fmt(p50)} ms)`,
        baseline: '',
        ratio: '',
        target: way.deep
          ? '≤ 10 ms'
          : way.name.includes('OFFSET')
            ? 'compare: the deep page is by cursor'
            : '',
        met: way.deep ? p99 <= 10 : null,
      })
    }
  }
  const plans = await explainRepoQueries(databaseUrl)
  const seq = plans.filter((p) => p.seqScan)
  report.rows.push({
    figure: `EXPLAIN ANALYZE of every repository statement (${plans.length} shapes) at ${rows} rows`,
    service: seq.length === 0 ? 'index scans only' : `${seq.length} with Seq Scan`,
    baseline: '',
    ratio: '',
    target: 'no Seq Scan',
    met: seq.length === 0,
  })
  report.sections.push({
    title: `Query plans at ${rows} rows`,
    body: [
      '| statement | scans | execution |',
      '|---|---|---|',
      ...plans.map(
        (p) =>
          `| \`${p.statement.replace(/\|/g, '\\|')}\` | ${p.scans.join('; ') || 'none (insert)'} | ${fmt(p.executionMs)} ms |`,
      ),
    ].join('\n'),
  })
}
