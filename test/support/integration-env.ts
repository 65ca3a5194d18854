import { randomBytes } from 'node:crypto'
import { afterAll } from 'vitest'

/**
 * The integration harness (SPEC §2): where a suite gets its PostgreSQL and Redis.
 *   1. TEST_DATABASE_URL / TEST_REDIS_URL when set (CI, or a developer's own servers);
 *   2. else a Testcontainers container, when a container runtime answers;
 *   3. else PostgreSQL suites fall back to PGlite, and Redis suites are skipped with a name that
 *      says why (`redisSuite`), so nothing passes silently.
 * Containers start lazily, once per test file, and stop after it.
 */

const envUrl = (name: string): string | null => process.env[name]?.trim() || null

async function containerRuntimeAnswers(): Promise<boolean> {
  // Without Docker this rejects within milliseconds: no probing timeout to wait out.
  const { getContainerRuntimeClient } = await import('testcontainers')
  return getContainerRuntimeClient().then(
    () => true,
    () => false,
  )
}

const runtime =
  envUrl('TEST_DATABASE_URL') && envUrl('TEST_REDIS_URL') ? false : await containerRuntimeAnswers()

export type Source = 'url' | 'container' | 'none'

export const POSTGRES_SOURCE: Source = envUrl('TEST_DATABASE_URL') ? 'url' : runtime ? 'container' : 'none'
export const REDIS_SOURCE: Source = envUrl('TEST_REDIS_URL') ? 'url' : runtime ? 'container' : 'none'

/** Why no real PostgreSQL can be had here (suites then use PGlite), or null. */
export const POSTGRES_UNAVAILABLE: string | null =
  POSTGRES_SOURCE === 'none' ? 'TEST_DATABASE_URL unset, no container runtime' : null

/** Why no Redis can be had here, or null. */
export const REDIS_UNAVAILABLE: string | null =
  REDIS_SOURCE === 'none' ? 'no Redis (TEST_REDIS_URL unset, no container runtime)' : null

/** A suite name that carries the skip reason when there is no Redis, for `describe.skipIf`. */
export const redisSuite = (name: string): string =>
  REDIS_UNAVAILABLE ? `${name} (skipped: ${REDIS_UNAVAILABLE})` : name

const stops: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const stop of stops.splice(0)) await stop()
})

let postgresUrl: Promise<string> | null = null
let redisUrl: Promise<string> | null = null

/** The PostgreSQL server URL (connect as a superuser; create a database per suite). */
export function postgresServerUrl(): Promise<string> {
  postgresUrl ??= (async () => {
    const url = envUrl('TEST_DATABASE_URL')
    if (url) return url
    if (POSTGRES_SOURCE !== 'container') throw new Error(`no PostgreSQL: ${POSTGRES_UNAVAILABLE}`)
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const started = await new PostgreSqlContainer('postgres:15-alpine').start()
    stops.push(() => started.stop())
    return started.getConnectionUri()
  })()
  return postgresUrl
}

/** The Redis server URL; shared, so keys and channels must carry `uniqueNamespace()`. */
export function redisServerUrl(): Promise<string> {
  redisUrl ??= (async () => {
    const url = envUrl('TEST_REDIS_URL')
    if (url) return url
    if (REDIS_SOURCE !== 'container') throw new Error(REDIS_UNAVAILABLE ?? 'no Redis')
    const { RedisContainer } = await import('@testcontainers/redis')
    const started = await new RedisContainer('redis:7-alpine').start()
    stops.push(() => started.stop())
    return started.getConnectionUrl()
  })()
  return redisUrl
}

/** A key and channel namespace of its own, so parallel test files on one Redis never collide. */
export const uniqueNamespace = (): string => `rec:test:${randomBytes(6).toString('hex')}`
