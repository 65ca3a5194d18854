import { openPgliteThread } from '@rec/adapters-postgres/pglite-thread'
import { existingPgliteDir } from './data-dirs.js'
import { loadDotEnv } from './dotenv.js'
import { earlyAddress, listenEarly, type StartingServer } from './early-listen.js'
import { boundHeapGrowth } from './heap-growth.js'

// The process: configuration, logger, the wired server, and signals. No logic of its own.
loadDotEnv()
boundHeapGrowth(process.execArgv)
// Listen first: the liveness probe is answered while the rest loads and starts (seconds on
// PGlite); readiness says 503 and API requests wait until the service is wired (early-listen.ts).
// A failed listen (port taken) is reported below, once the configuration is known to be valid and
// the logger exists; not an unhandled rejection.
const address = earlyAddress(process.env)
const listeningEarly = address ? listenEarly(address) : null
listeningEarly?.catch(() => undefined)
// The embedded database opens on its own thread (most of a second) from here, while the modules
// below load, when its directory already holds one; a new one is initialised once the
// configuration is known to be valid (data-dirs.ts).
const earlyPgliteDir = existingPgliteDir(process.env, process.cwd())
const earlyPglite = earlyPgliteDir === null ? null : openPgliteThread(earlyPgliteDir)
// startServer awaits it; a failure is reported there, not as an unhandled rejection meanwhile.
earlyPglite?.catch(() => undefined)

const { ConfigError, loadConfig } = await import('./config.js')
let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
}
// Both read the same two variables; a difference would be a bug here, not a configuration error.
if (address && (address.port !== config.PORT || address.host !== config.HOST)) {
  throw new Error(`listened on ${address.host}:${address.port}, configured ${config.HOST}:${config.PORT}`)
}
const listening: Promise<StartingServer> =
  listeningEarly ?? listenEarly({ port: config.PORT, host: config.HOST })
listening.catch(() => undefined)

const { pgliteDir } = config
if (earlyPgliteDir !== null && earlyPgliteDir !== pgliteDir) {
  throw new Error(`opened the embedded database in ${earlyPgliteDir}, configured ${pgliteDir}`)
}
const pglite =
  pgliteDir === null
    ? undefined
    : Promise.all([
        earlyPglite ?? openPgliteThread(pgliteDir),
        import('@rec/adapters-postgres/open-pglite'),
      ]).then(([client, { pgliteOpened }]) => pgliteOpened(client))
pglite?.catch(() => undefined)

// Loaded after the listen call: these modules are most of the start-up time.
const [{ pino }, { startServer }] = await Promise.all([import('pino'), import('./start-server.js')])
const logger = pino({
  level: config.LOG_LEVEL,
  redact: { paths: ['req.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
})
const started = listening
  .then((starting) => startServer(config, logger, { starting, ...(pglite ? { pglite } : {}) }))
  .catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed')
    process.exit(1)
  })

// Installed while starting: the process listens from its first moments, so a stop can come before
// the service is up. It then waits for the start to finish (a database initialising its files is
// not cut off half-way) and closes gracefully, within the same 10 s.
let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    // SPEC §8: exit within 10 s even if something hangs.
    setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting')
      process.exit(1)
    }, 9_500).unref()
    started
      .then((server) => server.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
  })
}
