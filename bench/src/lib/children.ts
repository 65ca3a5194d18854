import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { sleep } from './stats.js'

export const ROOT = join(import.meta.dirname, '../../..')

export interface Child {
  readonly pid: number
  /** Where the child keeps its files (DATA_DIR). */
  readonly dataDir: string
  readonly port: number
  readonly url: string
  readonly wsUrl: string
  /** Every line the child wrote, for a failure message. */
  readonly lines: string[]
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>
}

/** A port nobody listens on right now; the child binds it a moment later. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

export interface SpawnOptions {
  /** Arguments after the node binary (flags, then the script). */
  readonly args: readonly string[]
  readonly dataDir: string
  readonly env: Record<string, string>
  readonly port: number
  /** The checkout to run from (another build, for before/after comparisons); ROOT by default. */
  readonly root?: string
}

/** Spawns node from the repository root; the child is told its port through PORT. */
export function spawnNode({ args, env, port, dataDir, root = ROOT }: SpawnOptions): Child {
  const child: ChildProcess = spawn(process.execPath, [...args], {
    cwd: root,
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const logFile = process.env.BENCH_CHILD_LOG
  const keep = (data: Buffer): void => {
    // BENCH_CHILD_LOG: every child's output is also appended there (with --trace-gc, for one).
    if (logFile) appendFileSync(logFile, data)
    lines.push(...data.toString('utf8').split('\n').filter(Boolean))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    pid: child.pid ?? 0,
    dataDir,
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    lines,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** Polls `url` every 5 ms until it answers 200; resolves with the ms since `since`. */
export async function waitFor200(
  url: string,
  since: number,
  child: Child,
  timeoutMs = 60_000,
): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status === 200) return performance.now() - since
    } catch {
      // not listening yet
    }
    await sleep(5)
  }
  throw new Error(`${url} gave no 200 in ${timeoutMs} ms:\n${child.lines.slice(-20).join('\n')}`)
}

/**
 * Resident memory of another process, read from /proc (outside it, so the figure includes
 * everything the process holds, not what it believes it holds).
 */
export class RssMeter {
  readonly #pid: number
  #peak = 0
  #timer: ReturnType<typeof setInterval> | null = null

  constructor(pid: number) {
    this.#pid = pid
  }

  /** Resets the kernel's high-water mark (VmHWM) and samples VmRSS every 100 ms as a fallback. */
  start(): void {
    this.#peak = 0
    try {
      writeFileSync(`/proc/${this.#pid}/clear_refs`, '5')
    } catch {
      // Not permitted here: the sampled peak still stands.
    }
    this.#timer = setInterval(() => {
      this.#peak = Math.max(this.#peak, this.#read('VmRSS'))
    }, 100)
  }

  /** Peak resident bytes since `start`. */
  stop(): number {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    return Math.max(this.#peak, this.#read('VmHWM'), this.#read('VmRSS'))
  }

  #read(field: 'VmRSS' | 'VmHWM'): number {
    try {
      const status = readFileSync(`/proc/${this.#pid}/status`, 'utf8')
      return Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1] ?? 0) * 1024
    } catch {
      return 0
    }
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; 0 if gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised name; utime and stime are the 14th and 15th, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/** The pid of a child of this process whose command line contains `word` (e.g. s3rver); null if none. */
export function childPid(word: string): number | null {
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(word))
        return Number(name)
    } catch {
      // gone meanwhile
    }
  }
  return null
}

/**
 * Removes the files in `dir` (not the directory): media written by a round. A flood writes
 * gigabytes a round; kept, a full run would fill the disk.
 */
export function emptyDir(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) rmSync(join(dir, name), { recursive: true, force: true })
}
