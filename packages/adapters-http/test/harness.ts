import { Writable } from 'node:stream'
import {
  type IdGenerator,
  MemoryCache,
  MemoryEventBus,
  type RateLimiter,
  type RecordingLimits,
  type RecordingRepo,
  RecordingService,
} from '@rec/domain'
import { ManualClock, MemoryBlobStore, MemoryRecordingRepo } from '@rec/domain/testing'
import { SignJWT } from 'jose'
import pino from 'pino'
import { createApp, type HttpDeps } from '../src/app.js'
import type { Authenticator } from '../src/auth/authenticator.js'
import { JoseAuthenticator } from '../src/auth/jose-authenticator.js'
import { InProcessRateLimiter } from '../src/rate-limit/in-process-rate-limiter.js'
import type { ReadinessReport } from '../src/routes/health-routes.js'
import type { RecordingDto } from '../src/schemas/recording-schema.js'

export const SECRET = new TextEncoder().encode('test-secret-that-is-at-least-32-bytes-long!')
export const ISSUER = 'https://issuer.test'
export const AUDIENCE = 'recording-service'
export const ALICE = '11111111-1111-4111-8111-111111111111'
export const BOB = '22222222-2222-4222-8222-222222222222'
export const SESSION = '33333333-3333-4333-8333-333333333333'

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Buffer.from(digest).toString('hex')
}

/** UUIDs that count up, so tests can predict ids. */
export function counterIds(): IdGenerator {
  let n = 0
  return { newId: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` }
}

export interface TokenOptions {
  readonly sub?: string
  readonly issuer?: string
  readonly audience?: string
  readonly expiresIn?: string | number
  readonly secret?: Uint8Array
}

export function token({
  sub = ALICE,
  issuer = ISSUER,
  audience = AUDIENCE,
  expiresIn = '1h',
  secret = SECRET,
}: TokenOptions = {}): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secret)
}

export interface Harness {
  readonly app: ReturnType<typeof createApp>
  readonly service: RecordingService
  readonly clock: ManualClock
  readonly blobs: MemoryBlobStore
  readonly repo: MemoryRecordingRepo
  readonly logLines: () => Record<string, unknown>[]
  readonly rawLog: () => string
  readonly auth: (sub?: string) => Promise<Record<string, string>>
}

export interface HarnessOptions {
  readonly limits?: Partial<RecordingLimits>
  readonly rateLimiter?: RateLimiter
  readonly corsOrigins?: HttpDeps['corsOrigins']
  readonly readiness?: () => Promise<ReadinessReport>
  readonly repo?: RecordingRepo
  readonly authenticator?: Authenticator
  readonly onRecordingDeleted?: HttpDeps['onRecordingDeleted']
}

export function makeHarness(options: HarnessOptions = {}): Harness {
  const clock = new ManualClock()
  const memoryRepo = new MemoryRecordingRepo()
  const repo = options.repo ?? memoryRepo
  const blobs = new MemoryBlobStore(sha256Hex)
  const service = new RecordingService({
    repo,
    blobs,
    cache: new MemoryCache(clock),
    events: new MemoryEventBus(),
    clock,
    ids: counterIds(),
    logger: { warn: () => {} },
    limits: { maxBytes: 1024 * 1024, maxDurationMs: 3_600_000, idleTimeoutMs: 300_000, ...options.limits },
  })
  let log = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log += chunk.toString()
      done()
    },
  })
  const app = createApp({
    service,
    authenticator:
      options.authenticator ?? new JoseAuthenticator({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE }),
    rateLimiter: options.rateLimiter ?? new InProcessRateLimiter({ perMinute: 10_000 }),
    logger: pino({ level: 'info' }, sink),
    readiness: options.readiness ?? (async () => ({ checks: { postgres: 'ok' } })),
    corsOrigins: options.corsOrigins ?? '*',
    ...(options.onRecordingDeleted ? { onRecordingDeleted: options.onRecordingDeleted } : {}),
  })
  return {
    app,
    service,
    clock,
    blobs,
    repo: memoryRepo,
    rawLog: () => log,
    logLines: () =>
      log
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    auth: async (sub = ALICE) => ({ Authorization: `Bearer ${await token({ sub })}` }),
  }
}

/** JSON body helper for `app.request`. */
export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } }
}

export const UPLOAD = 'application/offset+octet-stream'

export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) % 256
  return out
}

export interface ProblemJson {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
  readonly requestId: string
  readonly errors?: readonly { readonly path: string; readonly message: string }[]
}

export interface PageJson {
  readonly data: readonly RecordingDto[]
  readonly pagination: {
    readonly page: number | null
    readonly limit: number
    readonly total: number
    readonly totalPages: number
    readonly nextCursor: string | null
  }
}

/** Typed views of response bodies; the tests assert their content. */
export const problemJson = async (res: Response): Promise<ProblemJson> => (await res.json()) as ProblemJson
export const recordingJson = async (res: Response): Promise<RecordingDto> =>
  (await res.json()) as RecordingDto
export const pageJson = async (res: Response): Promise<PageJson> => (await res.json()) as PageJson

/** A loosely walked JSON document (OpenAPI), for property lookups in assertions. */
export interface JsonTree {
  readonly [key: string]: JsonTree
}
export const treeJson = async (res: Response): Promise<JsonTree> => (await res.json()) as JsonTree
