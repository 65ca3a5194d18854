import { existsSync } from 'node:fs'

/** Loads `.env` from the working directory with Node's own loader; real env vars win. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file)
}
