import pg from 'pg'

/** The two database backends every server-level suite runs against. */
export type Backend = 'postgres' | 'pglite'

export const BACKENDS: readonly Backend[] = ['postgres', 'pglite']

/** Why a backend cannot run here, or null when it can. */
export function unavailable(backend: Backend): string | null {
  if (backend === 'postgres' && !process.env.TEST_DATABASE_URL) return 'TEST_DATABASE_URL is not set'
  return null
}

/** A fresh database on the TEST_DATABASE_URL server; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DATABASE_URL is not set')
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
