import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { type Logger, pino } from 'pino'
import { loadConfig } from '../../src/config.js'
import { type RunningServer, startServer } from '../../src/start-server.js'
import { type Backend, freshPostgresDatabase } from './test-database.js'

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!!'

export interface TestServer extends RunningServer {
  readonly dataDir: string
  readonly databaseUrl: string | null
  readonly wsUrl: string
  token(sub: string, ttl?: string): Promise<string>
  /** Stops the server and removes its data and database. */
  dispose(): Promise<void>
}

/** The whole service, in this process, listening on a free port, on a fresh database. */
export async function startTestServer(
  backend: Backend,
  env: Record<string, string> = {},
  logger: Logger = pino({ level: 'silent' }),
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rec-server-'))
  const database = backend === 'postgres' ? await freshPostgresDatabase() : null
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  })
  const server = await startServer(config, logger)
  return {
    ...server,
    dataDir,
    databaseUrl: database?.url ?? null,
    wsUrl: server.url.replace(/^http/, 'ws'),
    token: (sub, ttl = '1h') => signToken(sub, ttl),
    async dispose() {
      await server.close()
      await database?.drop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export function signToken(sub: string, ttl = '1h', secret = TEST_SECRET): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret))
}
