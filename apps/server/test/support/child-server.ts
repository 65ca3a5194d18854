import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { TEST_SECRET } from './test-server.js'

const root = join(import.meta.dirname, '../../../..')

export interface ChildServer {
  readonly process: ChildProcess
  readonly url: string
  readonly wsUrl: string
  readonly pid: number
  /** Resident memory of the server process, read from /proc (outside the process). */
  rssBytes(): number
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
  /** Every line the server logged. */
  readonly lines: string[]
}

/** Node's arguments for the server from source (the default), through tsx. */
export const FROM_SOURCE: readonly string[] = [
  '--conditions=source',
  '--import',
  'tsx',
  'apps/server/src/main.ts',
]

/**
 * Runs the server as its own process (from source, or `args` such as the bundle `pnpm start`
 * runs), and resolves once it is listening.
 */
export async function startChildServer(
  env: Record<string, string>,
  args: readonly string[] = FROM_SOURCE,
): Promise<ChildServer> {
  const child = spawn(process.execPath, [...args], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line in 60 s:\n${lines.join('\n')}`)),
      60_000,
    )
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line)
        const match = line.match(/"port":(\d+)/)
        if (match && line.includes('listening')) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      })
    }
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${lines.join('\n')}`))
    })
  })
  const pid = child.pid ?? 0
  return {
    process: child,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid,
    lines,
    rssBytes: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0) * 1024
    },
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill(signal)
      return exited
    },
  }
}
