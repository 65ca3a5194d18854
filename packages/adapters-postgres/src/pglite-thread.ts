import { mkdir } from 'node:fs/promises'
import { Worker } from 'node:worker_threads'

/** A statement's answer, as PGlite gives it (rows parsed to JavaScript values). */
export interface PgliteResult<R = unknown> {
  readonly rows: R[]
  readonly affectedRows?: number
}

/** What the service asks of the embedded database. */
export interface PgliteClient {
  /** One statement with `$n` parameters. */
  query<R>(text: string, params: readonly unknown[]): Promise<PgliteResult<R>>
  /** A script of several statements without parameters; an answer per statement. */
  exec(text: string): Promise<PgliteResult[]>
  /** Writes everything to the data directory and ends the thread; later calls reject. */
  close(): Promise<void>
}

/** An error as it crosses the thread: its message and every plain field (code, constraint…). */
type PlainError = Record<string, string | number | boolean | null | undefined> & { message: string }

type Reply = { readonly id: number; readonly value?: unknown; readonly error?: PlainError }

/**
 * The thread's whole program, plain JavaScript evaluated by the Worker (no file of its own: the
 * same code runs from `dist/` and from the sources under the tests). It opens PGlite, then answers
 * `{ id, op, text, params }` with `{ id, value }` or `{ id, error }`; id 0 is the open.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const plain = (error) => {
  if (!(error instanceof Error)) return { message: String(error) }
  const out = { message: error.message, name: error.name }
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) out[key] = value
  }
  return out
}
const answer = (result) => ({ rows: result.rows, affectedRows: result.affectedRows })
const opening = import(workerData.module).then(({ PGlite }) =>
  PGlite.create(workerData.dataDir, { startParams: [...PGlite.defaultStartParams, ...workerData.startParams] }),
)
opening.then(
  () => parentPort.postMessage({ id: 0 }),
  (error) => {
    parentPort.postMessage({ id: 0, error: plain(error) })
    parentPort.close()
  },
)
parentPort.on('message', async ({ id, op, text, params }) => {
  try {
    const db = await opening
    const value =
      op === 'query' ? answer(await db.query(text, params))
      : op === 'exec' ? (await db.exec(text)).map(answer)
      : await db.close()
    parentPort.postMessage({ id, value })
    if (op === 'close') parentPort.close()
  } catch (error) {
    parentPort.postMessage({ id, error: plain(error) })
  }
})
`

/**
 * PGlite's own start parameters are kept; a 16 MB buffer pool replaces initdb's 128 MB: PGlite
 * sets the pool up inside its WebAssembly memory on every open, and that costs time in proportion
 * to its size. Opens of existing data here, 8 interleaved each: 128 MB 1.5-1.8 s; 32 MB 0.89 s,
 * 16 MB 0.78 s, 8 MB 0.71 s (medians). 16 MB keeps a 20 MB table's full scan as fast as 32 MB did
 * (8 MB doubled it) and index reads alike (bench/NOTES.md, "Fifth round"). The embedded database
 * serves one laptop's recordings; production runs PostgreSQL (DATABASE_URL).
 */
const START_PARAMS = ['-c', 'shared_buffers=16MB']

/**
 * Opens PGlite (`dataDir`, or in memory when null) on a thread of its own. Its WebAssembly
 * PostgreSQL then runs beside the event loop instead of on it: the open (most of a second) overlaps
 * the service's own start-up on the second core, and later statements no longer hold up acks and
 * requests while they run (bench/NOTES.md). This module loads nothing else, so the service can
 * start the open before its other modules. Rejects when it cannot open the data.
 */
export async function openPgliteThread(dataDir: string | null): Promise<PgliteClient> {
  if (dataDir !== null) await mkdir(dataDir, { recursive: true })
  const module = import.meta.resolve('@electric-sql/pglite')
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { module, dataDir: dataDir ?? 'memory://', startParams: START_PARAMS },
  })
  const client = new ThreadClient(worker)
  try {
    await client.opened
  } catch (error) {
    await worker.terminate()
    throw error
  }
  return client
}

class ThreadClient implements PgliteClient {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  #next = 1
  /** Why calls are refused, once the thread is closed or gone. */
  #ended: string | null = null
  readonly opened: Promise<unknown>

  constructor(worker: Worker) {
    this.#worker = worker
    this.opened = this.#await(0)
    worker.on('message', (reply: Reply) => this.#settle(reply))
    worker.on('error', (error) => this.#end(`PGlite is closed: its thread failed (${error.message})`))
    worker.on('exit', (code) => this.#end(`PGlite is closed: its thread exited with code ${code}`))
  }

  query<R>(text: string, params: readonly unknown[]): Promise<PgliteResult<R>> {
    return this.#call('query', text, params) as Promise<PgliteResult<R>>
  }

  exec(text: string): Promise<PgliteResult[]> {
    return this.#call('exec', text, []) as Promise<PgliteResult[]>
  }

  async close(): Promise<void> {
    if (this.#ended !== null) return
    await this.#call('close', '', [])
    this.#ended = 'PGlite is closed'
  }

  #call(op: 'query' | 'exec' | 'close', text: string, params: readonly unknown[]): Promise<unknown> {
    if (this.#ended !== null) return Promise.reject(new Error(this.#ended))
    const id = this.#next++
    const answered = this.#await(id)
    try {
      this.#worker.postMessage({ id, op, text, params })
    } catch (error) {
      // A parameter that cannot cross the thread (a function, a symbol): refused like a bad statement.
      this.#settle({ id, error: { message: error instanceof Error ? error.message : String(error) } })
    }
    return answered
  }

  /** The thread keeps the process alive only while something waits on it, as a socket would. */
  #await(id: number): Promise<unknown> {
    if (this.#pending.size === 0) this.#worker.ref()
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }))
  }

  #settle(reply: Reply): void {
    const waiting = this.#pending.get(reply.id)
    if (!waiting) return
    this.#pending.delete(reply.id)
    if (this.#pending.size === 0) this.#worker.unref()
    if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), reply.error))
    else waiting.resolve(reply.value)
  }

  #end(reason: string): void {
    this.#ended ??= reason
    for (const { reject } of this.#pending.values()) reject(new Error(reason))
    this.#pending.clear()
  }
}
