import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { POSTGRES_UNAVAILABLE, postgresServerUrl } from '#test-support/integration-env.js'

/** The two database backends every server-level suite runs against. */
export type Backend = 'postgres' | 'pglite'

export const BACKENDS: readonly Backend[] = ['postgres', 'pglite']

/** Why a backend cannot run here (see test/support/integration-env.ts), or null when it can. */
export function unavailable(backend: Backend): string | null {
  return backend === 'postgres' ? POSTGRES_UNAVAILABLE : null
}

/** A fresh database on the harness's PostgreSQL server; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = await postgresServerUrl()
  const name = `rec_srv_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

export interface ServerData {
  readonly dataDir: string
  /** `DATA_DIR`, and `DATABASE_URL` when a PostgreSQL database was made. */
  readonly env: Record<string, string>
  /** Drops the database and removes the directory. */
  dispose(): Promise<void>
}

/**
 * What a server under test runs on: a temp `DATA_DIR` and, when `postgres` is true, a fresh
 * database (else the server embeds PGlite in `DATA_DIR`).
 */
export async function serverData(prefix: string, postgres: boolean): Promise<ServerData> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix))
  const db = postgres ? await freshPostgresDatabase() : null
  return {
    dataDir,
    env: { DATA_DIR: dataDir, ...(db ? { DATABASE_URL: db.url } : {}) },
    async dispose() {
      await db?.drop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
