import { pino } from 'pino'
import { ConfigError, loadConfig } from './config.js'
import { loadDotEnv } from './dotenv.js'
import { startServer } from './start-server.js'

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

const logger = pino({
  level: config.LOG_LEVEL,
  redact: { paths: ['req.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
})
const server = await startServer(config, logger).catch((error: unknown) => {
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
