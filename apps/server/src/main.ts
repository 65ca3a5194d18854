import { ConfigError, loadConfig } from './config.js'
import { loadDotEnv } from './dotenv.js'
import { listenEarly, type StartingServer } from './early-listen.js'

// The process: configuration, logger, the wired server, and signals. No logic of its own.
loadDotEnv()
let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
}

// Listen first: the liveness probe is answered while the rest loads and starts (seconds on
// PGlite); readiness says 503 and API requests wait until the service is wired (early-listen.ts).
const listening: Promise<StartingServer> = listenEarly({ port: config.PORT, host: config.HOST })
// A failed listen (port taken) is reported below, once the logger exists; not an unhandled rejection.
listening.catch(() => undefined)
// Loaded after the listen call: these modules are most of the start-up time.
const [{ pino }, { startServer }] = await Promise.all([import('pino'), import('./start-server.js')])
const logger = pino({
  level: config.LOG_LEVEL,
  redact: { paths: ['req.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
})
const server = await listening
  .then((starting) => startServer(config, logger, { starting }))
  .catch((error: unknown) => {
    logger.fatal({ err: error }, 'start-up failed')
    process.exit(1)
  })

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
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
