import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** Live figures the metrics read at scrape time; each must answer at once and never throw. */
export interface MetricSources {
  /** Database connections: pg Pool counts, or PGlite's one connection. */
  poolStats(): { readonly total: number; readonly idle: number; readonly waiting: number }
  /** WebSocket ingest streams attached on this instance. */
  streamsOpen(): number
  /** Redis connection state; leave it out when Redis is not configured, and `redis_up` is not reported. */
  readonly redisUp?: () => boolean
  /** Whether the Redis circuit breaker is open (calls fail fast); reported with `redisUp`. */
  readonly redisCircuitOpen?: () => boolean
  /** Totals held by the in-process list-totals cache; leave it out with Redis, and the gauge is not reported. */
  readonly listTotalsCached?: () => number
}

export type FinalStatus = 'completed' | 'failed'
export type JanitorOutcome = 'done' | 'skipped' | 'failed'

/**
 * Every Prometheus metric of one service instance, on a registry of its own: no global state, so
 * a process (a test) can build many apps. Names follow Prometheus conventions (base units, _total).
 */
export class ServiceMetrics {
  readonly registry = new Registry()
  readonly #httpDuration: Histogram<'method' | 'route' | 'status'>
  readonly #ingested: Counter
  readonly #acks: Counter
  readonly #finished: Counter<'status'>
  readonly #janitorRuns: Counter<'outcome'>

  constructor(sources: MetricSources, { processMetrics = true }: { processMetrics?: boolean } = {}) {
    const registers = [this.registry]
    if (processMetrics) {
      collectDefaultMetrics({ register: this.registry })
      // prom-client's `nodejs_active_{handles,requests,resources}_total` are gauges with a counter's
      // suffix, which `promtool check metrics` refuses (SPEC §14). The per-type gauges without the
      // suffix stay; `sum()` of one is its total.
      for (const kind of ['handles', 'requests', 'resources']) {
        this.registry.removeSingleMetric(`nodejs_active_${kind}_total`)
      }
    }
    this.#httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests until the response headers, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.#ingested = new Counter({
      name: 'recording_ingest_bytes_total',
      help: 'Media bytes stored (WebSocket and HTTP PATCH)',
      registers,
    })
    this.#acks = new Counter({ name: 'recording_acks_sent_total', help: 'WebSocket acks sent', registers })
    this.#finished = new Counter({
      name: 'recordings_finished_total',
      help: 'Recordings that reached a final status on this instance: completed / (completed + failed) is the success rate',
      labelNames: ['status'],
      registers,
    })
    for (const status of ['completed', 'failed'] as const) this.#finished.inc({ status }, 0)
    this.#janitorRuns = new Counter({
      name: 'janitor_runs_total',
      help: 'Janitor sweeps: done, skipped (another instance held the lock) or failed',
      labelNames: ['outcome'],
      registers,
    })
    for (const outcome of ['done', 'skipped', 'failed'] as const) this.#janitorRuns.inc({ outcome }, 0)
    new Gauge({
      name: 'recording_streams_open',
      help: 'WebSocket ingest streams attached to this instance',
      registers,
      collect() {
        this.set(sources.streamsOpen())
      },
    })
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting = callers queued for one)',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = sources.poolStats()
        for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, stats[state])
      },
    })
    const { redisUp, redisCircuitOpen, listTotalsCached } = sources
    if (listTotalsCached) {
      new Gauge({
        name: 'list_totals_cache_entries',
        help: 'List totals held by the in-process cache (bounded per user and overall)',
        registers,
        collect() {
          this.set(listTotalsCached())
        },
      })
    }
    if (redisCircuitOpen) {
      new Gauge({
        name: 'redis_circuit_breaker_open',
        help: '1 while the Redis circuit breaker is open (calls fail fast, reads go to PostgreSQL), else 0',
        registers,
        collect() {
          this.set(redisCircuitOpen() ? 1 : 0)
        },
      })
    }
    if (redisUp) {
      new Gauge({
        name: 'redis_up',
        help: '1 when the Redis connection is ready, else 0',
        registers,
        collect() {
          this.set(redisUp() ? 1 : 0)
        },
      })
    }
  }

  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void {
    this.#httpDuration.observe({ ...labels, status: String(labels.status) }, seconds)
  }

  ingested(bytes: number): void {
    if (bytes > 0) this.#ingested.inc(bytes)
  }

  ackSent(): void {
    this.#acks.inc()
  }

  recordingFinished(status: FinalStatus): void {
    this.#finished.inc({ status })
  }

  janitorRun(outcome: JanitorOutcome): void {
    this.#janitorRuns.inc({ outcome })
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
