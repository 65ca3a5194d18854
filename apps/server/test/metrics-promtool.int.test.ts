import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rest } from './support/rest.js'
import { type Backend, unavailable } from './support/test-database.js'
import { startTestServer, type TestServer } from './support/test-server.js'
import { TestSocket } from './support/ws-client.js'

// Issue 10, item 10: `promtool check metrics` failed on prom-client's `nodejs_active_*_total`
// gauges (SPEC §14). .ci/run installs promtool from Debian's prometheus package when it is missing.
const backend: Backend = unavailable('postgres') ? 'pglite' : 'postgres'
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' })
const noPromtool = promtool.status === 0 ? null : 'no promtool on PATH'

/** `# TYPE name type` lines of an exposition. */
const types = (text: string): [string, string][] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ').slice(2, 4) as [string, string])

describe(`/metrics passes the Prometheus exposition lint (${backend})`, () => {
  let server: TestServer
  let text: string
  beforeAll(async () => {
    server = await startTestServer(backend)
    // Traffic first, so histograms, counters and labelled series all have samples.
    const token = await server.token(crypto.randomUUID())
    const api = rest(server, token)
    const { id } = await api.start()
    await api.call('GET', `/recordings/${crypto.randomUUID()}`)
    const socket = new TestSocket(`${server.wsUrl}/api/v1/recordings/${id}/stream?token=${token}`)
    await socket.ofType('ready')
    await socket.send(new Uint8Array(1000))
    await socket.send('{"type":"stop"}')
    await socket.ofType('completed')
    text = await (await fetch(`${server.url}/metrics`)).text()
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('names only counters with _total, gives every metric help, and keeps the families it promised', () => {
    const all = types(text)
    expect(all.length).toBeGreaterThan(20)
    for (const [name, type] of all) {
      expect(name, `${name} (${type})`).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/)
      if (type === 'counter') expect(name).toMatch(/_total$/)
      else expect(name, `${type} ${name} must not end in _total`).not.toMatch(/_total$/)
      expect(text).toContain(`# HELP ${name} `)
    }
    const names = all.map(([name]) => name)
    expect(names).toEqual(expect.arrayContaining(['nodejs_active_handles', 'nodejs_active_requests']))
    expect(names).toEqual(
      expect.arrayContaining(['process_cpu_seconds_total', 'recording_ingest_bytes_total']),
    )
  })

  it.skipIf(noPromtool !== null)(
    `promtool check metrics reports nothing${noPromtool ? ` (skipped: ${noPromtool})` : ''}`,
    () => {
      const run = spawnSync('promtool', ['check', 'metrics'], {
        input: text,
        encoding: 'utf8',
        timeout: 20_000,
      })
      expect(`${run.stdout}${run.stderr}`).toBe('')
      expect(run.status).toBe(0)
    },
  )
})
