import { TOPOLOGIES, type Topology } from '@rec/domain'
import { z } from 'zod'
import { absoluteDataDir, DEFAULT_DATA_DIR, pgliteDirOf } from './data-dirs.js'
import { DEFAULT_HOST, DEFAULT_PORT } from './early-listen.js'

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional())

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(0, 65535).default(DEFAULT_PORT),
    HOST: z.string().min(1).default(DEFAULT_HOST),
    DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/ })),
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
    JWT_SECRET: optional(z.string().refine((s) => Buffer.byteLength(s) >= 32, 'must be at least 32 bytes')),
    JWKS_URL: optional(z.url({ protocol: /^https?$/ })),
    JWT_ISSUER: optional(z.string().min(1)),
    JWT_AUDIENCE: optional(z.string().min(1)),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
    MAX_RECORDING_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(4 * 1024 ** 3),
    MAX_RECORDING_DURATION_S: int(1, 7 * 24 * 3600).default(4 * 3600),
    IDLE_TIMEOUT_S: int(1, 7 * 24 * 3600).default(300),
    MAX_FRAME_BYTES: int(1024, 64 * 1024 ** 2).default(1024 ** 2),
    MAX_SOCKETS_PER_USER: int(1, 100_000).default(20),
    CORS_ORIGINS: optional(z.string()),
    RATE_LIMIT_PER_MIN: int(1, 1_000_000).default(600),
    RETENTION_DAYS: optional(int(1, 100 * 365)),
    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
    RATE_LIMIT_ON_REDIS_DOWN: z.enum(['open', 'closed']).default('open'),
    PLAYBACK_URL_TTL_S: int(1, 7 * 24 * 3600).default(3600),
    PLAYBACK_SIGNING_KEY: optional(
      z.string().refine((s) => Buffer.byteLength(s) >= 32, 'must be at least 32 bytes'),
    ),
    PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
    RECORDER_PAGE: optional(z.enum(['on', 'off'])),
    TOPOLOGY: optional(z.enum(TOPOLOGIES)),
    BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
    S3_BUCKET: optional(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')),
    S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
    S3_REGION: z.preprocess(blankToUndefined, z.string().min(1).default('us-east-1')),
    S3_FORCE_PATH_STYLE: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('false')),
    S3_PREFIX: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9!_.*'()/-]*\/$/, 'must end with "/" and hold only safe characters')
        .default(''),
    ),
    WEBHOOK_URL: optional(z.url({ protocol: /^https?$/ })),
    WEBHOOK_SECRET: optional(
      z
        .string()
        .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64')
        .refine((s) => Buffer.from(s.slice(6), 'base64').length >= 24, 'must hold at least 24 bytes'),
    ),
    WEBHOOK_MAX_AGE_S: int(1, 30 * 24 * 3600).default(24 * 3600),
    /** The first retry's delay; each later one doubles, with jitter. Tests shorten nothing else. */
    WEBHOOK_RETRY_DELAY_S: int(1, 3600).default(5),
  })
  .superRefine((env, ctx) => {
    // Instances that share the stores must share the cache, events and rate limits too.
    if (env.TOPOLOGY === 'shared' && !env.REDIS_URL)
      ctx.addIssue({ code: 'custom', path: ['TOPOLOGY'], message: 'shared requires REDIS_URL' })
    if (env.BLOB_STORE === 's3' && !env.S3_BUCKET)
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when BLOB_STORE=s3' })
    if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET)
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required with WEBHOOK_URL' })
    if (env.NODE_ENV !== 'production') return
    if (!env.DATABASE_URL)
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production' })
    if (!env.JWT_SECRET && !env.JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required in production unless JWKS_URL is set',
      })
    }
    // Instances must agree on the key; with JWKS only there is no shared secret to derive it from.
    if (!env.JWT_SECRET && env.JWKS_URL && !env.PLAYBACK_SIGNING_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['PLAYBACK_SIGNING_KEY'],
        message: 'is required in production when JWKS_URL is set without JWT_SECRET',
      })
    }
  })

export type Env = z.infer<typeof schema>

export interface Config extends Env {
  readonly dataDir: string
  /** Where the embedded PGlite keeps its files (`DATA_DIR/pg`); null with DATABASE_URL. */
  readonly pgliteDir: string | null
  /** TOPOLOGY, else `shared` with REDIS_URL (several instances) and `single` without. */
  readonly topology: Topology
  readonly corsOrigins: '*' | readonly string[]
  /** Serve the recorder page at `/` (SPEC §11): RECORDER_PAGE, else on in development only. */
  readonly recorderPage: boolean
  /** `POST /dev/token` for the page: development only, never in test or production. */
  readonly devToken: boolean
}

export class ConfigError extends Error {}

/** Validates the environment; a bad value is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    const got = env[name] === undefined ? '' : ` (got ${JSON.stringify(env[name])})`
    throw new ConfigError(`invalid configuration: ${name} ${issue?.message ?? 'is invalid'}${got}`)
  }
  const e = parsed.data
  const origins = e.CORS_ORIGINS?.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  const dataDir = absoluteDataDir(e.DATA_DIR, cwd)
  return {
    ...e,
    dataDir,
    pgliteDir: pgliteDirOf(dataDir, e.DATABASE_URL),
    topology: e.TOPOLOGY ?? (e.REDIS_URL ? 'shared' : 'single'),
    corsOrigins: origins ?? (e.NODE_ENV === 'production' ? [] : '*'),
    ...recorderPage(e),
  }
}

function recorderPage(e: Env): { recorderPage: boolean; devToken: boolean } {
  const on = e.RECORDER_PAGE === undefined ? e.NODE_ENV === 'development' : e.RECORDER_PAGE === 'on'
  return { recorderPage: on, devToken: on && e.NODE_ENV === 'development' }
}
