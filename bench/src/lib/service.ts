import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import pg from 'pg'
import { type Child, freePort, ROOT, spawnNode, waitFor200 } from './children.js'

export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123'
const secretKey = new TextEncoder().encode(JWT_SECRET)

export function signToken(userId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(secretKey)
}

/** A fresh database next to the one in BENCH_DATABASE_URL / TEST_DATABASE_URL, dropped by `drop`. */
export interface BenchDatabase {
  readonly url: string
  drop(): Promise<void>
}

export async function createDatabase(): Promise<BenchDatabase> {
  const admin =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test'
  const name = `bench_${process.pid}_${Date.now()}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

export interface ServiceOptions {
  /** PostgreSQL URL; null runs on PGlite inside `dataDir`. */
  readonly databaseUrl: string | null
  readonly dataDir?: string
  /** Directory for a `.cpuprofile`, written when the server exits. */
  readonly cpuProfDir?: string
  /** More environment, e.g. BLOB_STORE=s3 and its S3_* settings. */
  readonly env?: Readonly<Record<string, string>>
  /** Run the build of another checkout (bench/src/ab.ts); this one by default. */
  readonly root?: string
}

export interface Service extends Child {
  /** Ms from spawn to the first 200 on /health. */
  readonly startMs: number
  /** Ms from spawn to the first 200 on /health/ready: every backend wired (the server listens earlier). */
  readonly readyMs: number
}

/**
 * What `pnpm start` runs after `pnpm build`: the bundled server (apps/server/build.mjs). A checkout
 * from before the bundle (an A/B base) runs its `dist/main.js`.
 */
export function serverEntry(root: string): string {
  const bundle = join(root, 'apps/server/bundle/main.js')
  return existsSync(bundle) ? bundle : join(root, 'apps/server/dist/main.js')
}

/** The real service from its build, as `pnpm start` runs it. */
export async function startService(options: ServiceOptions): Promise<Service> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bench-service-'))
  const port = await freePort()
  const flags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []
  // BENCH_NODE_FLAGS, e.g. `--trace-gc`, for looking into one figure by hand.
  flags.push(...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean))
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MIN: '1000000',
    // Production refuses to start without DATABASE_URL; PGlite runs use development instead.
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { NODE_ENV: 'development' }),
    ...options.env,
  }
  const spawned = performance.now()
  const child = spawnNode({
    args: [...flags, serverEntry(options.root ?? ROOT)],
    env,
    port,
    dataDir,
    ...(options.root ? { root: options.root } : {}),
  })
  const startMs = await waitFor200(`${child.url}/health`, spawned, child)
  const readyMs = await waitFor200(`${child.url}/health/ready`, spawned, child)
  return { ...child, startMs, readyMs }
}

/** Stops the service and removes its data directory unless the caller keeps it. */
export async function stopService(service: Service, keepData = false): Promise<void> {
  await service.stop()
  if (!keepData) rmSync(service.dataDir, { recursive: true, force: true })
}

/** Starts recordings over the API, `parallel` at a time; resolves their ids. */
export async function startRecordings(
  url: string,
  token: string,
  count: number,
  parallel = 50,
): Promise<string[]> {
  const ids: string[] = []
  const one = async (): Promise<void> => {
    const res = await fetch(`${url}/api/v1/recordings/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: crypto.randomUUID(), config: { quality: 'high', format: 'webm' } }),
    })
    const body = (await res.json()) as { id?: string }
    if (res.status !== 201 || !body.id) throw new Error(`start answered ${res.status}`)
    ids.push(body.id)
  }
  for (let i = 0; i < count; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, one))
  }
  return ids
}
