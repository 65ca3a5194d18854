// The server as a library, for a process of one's own (tests, another launcher); `main.ts` is the
// process this package runs.
export { type Config, ConfigError, loadConfig } from './config.js'
export { type RunningServer, startServer } from './start-server.js'
