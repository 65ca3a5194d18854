import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '#test-support/redis-server.js'

const BIN = '/usr/lib/postgresql/15/bin'

/**
 * A PostgreSQL 15 cluster of this test's own, in a temp dir on a free port, that the test may stop
 * and start at will: the shared server other suites use in parallel is never touched. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user.
 */
export class OwnPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Why no cluster can be made here, or null when it can. */
  static unavailable(): string | null {
    if (!existsSync(join(BIN, 'initdb'))) return `no PostgreSQL 15 binaries in ${BIN}`
    if (process.getuid?.() === 0) {
      try {
        execFileSync('id', ['postgres'], { stdio: 'ignore' })
      } catch {
        return 'running as root and there is no postgres user to run PostgreSQL as'
      }
    }
    return null
  }

  static async create(): Promise<OwnPostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'rec-own-pg-'))
    const cluster = new OwnPostgres(dir, await freePort())
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
      await chown(dir, uid, gid)
    }
    cluster.#run('initdb', ['-D', cluster.#data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'])
    cluster.start()
    return cluster
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  get #data(): string {
    return join(this.dir, 'data')
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`
    this.#run('pg_ctl', [
      '-D',
      this.#data,
      '-l',
      join(this.dir, 'log'),
      '-o',
      options,
      '-w',
      '-t',
      '30',
      'start',
    ])
  }

  /** `fast` disconnects every client at once, as a restart or failover does. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.#run('pg_ctl', ['-D', this.#data, '-m', mode, '-w', '-t', '30', 'stop'])
  }

  async destroy(): Promise<void> {
    try {
      this.stop('immediate')
    } catch {
      // already stopped
    }
    await rm(this.dir, { recursive: true, force: true })
  }

  #run(tool: string, args: readonly string[]): void {
    const command = join(BIN, tool)
    const [file, argv] =
      process.getuid?.() === 0
        ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
        : [command, [...args]]
    execFileSync(file, argv, { stdio: 'pipe', cwd: this.dir })
  }
}
