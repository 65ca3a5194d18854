import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'

/** An S3-protocol server for tests, and which one it is (suite names say it). */
export interface TestS3 {
  /** `TEST_S3_ENDPOINT`, `MinIO (Testcontainers)` or `s3rver 3.7 (child process)`. */
  readonly kind: string
  readonly endpoint: string
  readonly region: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** Creates a fresh bucket and returns its name. */
  newBucket(): Promise<string>
  /** Stops the server abruptly (SIGKILL), for storage-failure tests; null when it cannot be stopped. */
  readonly kill: (() => Promise<void>) | null
  /** Starts a killed server again on the same endpoint with the same objects; null when it cannot. */
  readonly restart: (() => Promise<void>) | null
  dispose(): Promise<void>
}

const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

function clientFor(s3: Pick<TestS3, 'endpoint' | 'region' | 'credentials'>): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: s3.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

async function makeBucket(s3: Pick<TestS3, 'endpoint' | 'region' | 'credentials'>): Promise<string> {
  const name = `rec-test-${randomBytes(6).toString('hex')}`
  const client = clientFor(s3)
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }))
  } finally {
    client.destroy()
  }
  return name
}

/** Spawns s3rver on `port` (0: any) over `dir`; resolves with the child and its port once it listens. */
async function spawnS3rver(dir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  const require = createRequire(join(import.meta.dirname, '../../packages/adapters-s3/package.json'))
  const bin = join(dirname(require.resolve('s3rver/package.json')), 'bin/s3rver.js')
  const child = spawn(process.execPath, [bin, '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const listening = await new Promise<number>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`s3rver not listening in 20 s:\n${output}`)), 20_000)
    const onData = (data: Buffer): void => {
      output += data.toString()
      const match = /S3rver listening on [^:]+:(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}:\n${output}`)))
  })
  return { child, port: listening }
}

/** s3rver from the adapters-s3 devDependencies, as a child on a free port with a temp directory. */
async function startS3rver(): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 'rec-s3rver-'))
  let running = await spawnS3rver(dir, 0)
  const kill = async (): Promise<void> => {
    const { child } = running
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGKILL')
    await exited
  }
  const base = {
    endpoint: `http://127.0.0.1:${running.port}`,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
  }
  return {
    kind: 's3rver 3.7 (child process)',
    ...base,
    newBucket: () => makeBucket(base),
    kill,
    restart: async () => {
      await kill()
      running = await spawnS3rver(dir, running.port)
    },
    async dispose() {
      await kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** MinIO through Testcontainers, when a container runtime answers; null otherwise. */
async function startMinio(): Promise<TestS3 | null> {
  const tc = await import('testcontainers')
  try {
    await tc.getContainerRuntimeClient()
  } catch {
    return null
  }
  const credentials = { accessKeyId: 'minioadmin', secretAccessKey: 'minioadmin' }
  const container = await new tc.GenericContainer('minio/minio:RELEASE.2025-09-07T16-13-09Z')
    .withCommand(['server', '/data'])
    .withExposedPorts(9000)
    .withWaitStrategy(tc.Wait.forHttp('/minio/health/ready', 9000))
    .start()
  const base = {
    endpoint: `http://${container.getHost()}:${container.getMappedPort(9000)}`,
    region: 'us-east-1',
    credentials,
  }
  return {
    kind: 'MinIO (Testcontainers)',
    ...base,
    newBucket: () => makeBucket(base),
    kill: async () => {
      await container.stop({ timeout: 0, remove: false })
    },
    restart: null,
    dispose: async () => {
      await container.stop().catch(() => undefined)
    },
  }
}

/** The service's variables for `BLOB_STORE=s3` on `bucket` of this server (path-style, its keys). */
export function serviceS3Env(s3: TestS3, bucket: string): Record<string, string> {
  return {
    BLOB_STORE: 's3',
    S3_BUCKET: bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  }
}

/** `TEST_S3_ENDPOINT` when set, else MinIO when a container runtime answers, else s3rver. */
export async function startTestS3(): Promise<TestS3> {
  const endpoint = process.env.TEST_S3_ENDPOINT
  if (endpoint) {
    const base = {
      endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'minioadmin',
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'minioadmin',
      },
    }
    return {
      kind: `TEST_S3_ENDPOINT (${endpoint})`,
      ...base,
      newBucket: () => makeBucket(base),
      kill: null,
      restart: null,
      dispose: async () => {},
    }
  }
  return (await startMinio()) ?? (await startS3rver())
}
