import type {
  CreateOutcome,
  DueTask,
  IdempotencyClaim,
  ListQuery,
  MediaFacts,
  Recording,
  RecordingPage,
  RecordingRepo,
  RecordingStatus,
  StoredRendition,
} from '@rec/domain'
import type { Kysely, Transaction } from 'kysely'
import type { DueTaskOutbox } from './jobs/due-task-outbox.js'
import { transactionExecutor } from './jobs/sql-executor.js'
import { ReadBatcher } from './read-batcher.js'
import { toRecording, toRow } from './recording-mapping.js'
import { recordingQueries } from './recording-queries.js'
import type { Tables } from './tables.js'
import { translateError } from './translate-error.js'
import { UpdateBatcher } from './update-batcher.js'

type Earlier = { readonly recordingId: string; readonly fingerprint: string }

/** RecordingRepo on Kysely; the same code runs over a pg Pool and over PGlite. */
export class PostgresRecordingRepo implements RecordingRepo {
  readonly #db: Kysely<Tables>
  readonly #updates: UpdateBatcher
  readonly #reads: ReadBatcher
  readonly #outbox: DueTaskOutbox | null

  /** Without an outbox, due tasks are refused (a deployment that makes none due needs none). */
  constructor(db: Kysely<Tables>, outbox: DueTaskOutbox | null = null) {
    this.#db = db
    this.#updates = new UpdateBatcher(db)
    this.#reads = new ReadBatcher(db)
    this.#outbox = outbox
  }

  create(recording: Recording, claim: IdempotencyClaim | null): Promise<CreateOutcome> {
    // Claim and insert commit together: a failed insert (RecordingAlreadyActiveError) rolls the
    // claim back, so a retry with the same key is not replayed to a recording that never existed.
    return this.#run(() =>
      this.#db.transaction().execute(async (trx): Promise<CreateOutcome> => {
        const earlier = claim ? await this.#claim(trx, claim, recording) : null
        if (earlier) return { kind: 'replayed', ...earlier }
        await trx.insertInto('recordings').values(toRow(recording)).execute()
        return { kind: 'created' }
      }),
    )
  }

  findById(id: string): Promise<Recording | null> {
    return this.#run(async () => {
      const row = await this.#reads.find(id)
      return row ? toRecording(row) : null
    })
  }

  list(query: ListQuery): Promise<RecordingPage> {
    return this.#run(async () => {
      // Two statements rather than count(*) over (): the window total is lost on a page past the end.
      const [rows, count] = await Promise.all([
        recordingQueries.listPage(this.#db, query).execute(),
        recordingQueries.listCount(this.#db, query).executeTakeFirstOrThrow(),
      ])
      // count(*) is a bigint: a string through pg, a number through PGlite.
      return { items: rows.map(toRecording), total: Number(count.total) }
    })
  }

  listItems(query: ListQuery): Promise<readonly Recording[]> {
    return this.#run(async () =>
      (await recordingQueries.listPage(this.#db, query).execute()).map(toRecording),
    )
  }

  update(recording: Recording, expected: RecordingStatus, due: readonly DueTask[] = []): Promise<boolean> {
    if (due.length === 0) return this.#run(() => this.#updates.update(toRow(recording), expected))
    // A change that makes work due is rare (a completion, a failure): it skips the batching and
    // commits with its jobs, so no crash can keep one without the other.
    return this.#withJobs(due, async (trx) => {
      const { id, user_id, session_id, created_at, ...changes } = toRow(recording)
      const result = await trx
        .updateTable('recordings')
        .set(changes)
        .where('id', '=', id)
        .where('status', '=', expected)
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  saveMedia(
    id: string,
    media: MediaFacts,
    seekable: StoredRendition | null,
    due: readonly DueTask[] = [],
  ): Promise<boolean> {
    return this.#withJobs(due, async (trx) => {
      const result = await trx
        .updateTable('recordings')
        .set({ media: JSON.stringify(media), seekable: seekable === null ? null : JSON.stringify(seekable) })
        .where('id', '=', id)
        .where('status', '=', 'completed')
        .executeTakeFirst()
      return result.numUpdatedRows > 0n
    })
  }

  delete(id: string, due: readonly DueTask[] = []): Promise<boolean> {
    return this.#withJobs(due, async (trx) => {
      const result = await trx.deleteFrom('recordings').where('id', '=', id).executeTakeFirst()
      return result.numDeletedRows > 0n
    })
  }

  /** Runs `change` and, when it changed a row, enqueues `due`, all in one transaction. */
  #withJobs(due: readonly DueTask[], change: (trx: Kysely<Tables>) => Promise<boolean>): Promise<boolean> {
    const outbox = this.#outbox
    if (due.length === 0) return this.#run(() => change(this.#db))
    if (outbox === null) throw new Error('tasks are due but this repository has no job outbox')
    return this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const changed = await change(trx)
        if (changed) await outbox.enqueue(transactionExecutor(trx), due)
        return changed
      }),
    )
  }

  findExpired(idleBefore: Date, startedBefore: Date, limit: number): Promise<readonly Recording[]> {
    return this.#run(async () => {
      const rows = await recordingQueries.expired(this.#db, idleBefore, startedBefore, limit).execute()
      return rows.map(toRecording)
    })
  }

  findCompletedBefore(createdBefore: Date, limit: number): Promise<readonly Recording[]> {
    return this.#run(async () => {
      const rows = await recordingQueries.completedBefore(this.#db, createdBefore, limit).execute()
      return rows.map(toRecording)
    })
  }

  deleteExpiredClaims(before: Date): Promise<number> {
    return this.#run(async () => {
      const result = await this.#db
        .deleteFrom('idempotency_keys')
        .where('expires_at', '<', before)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    })
  }

  /**
   * Records the claim, replacing an expired one, and resolves null; or resolves the unexpired
   * earlier claim. Expiry is judged by the recording's clock, like every other time in the domain.
   * On PostgreSQL a concurrent claim for the same key waits here for the first to commit or roll back.
   */
  async #claim(
    trx: Transaction<Tables>,
    claim: IdempotencyClaim,
    recording: Recording,
  ): Promise<Earlier | null> {
    const row = {
      user_id: claim.userId,
      key: claim.key,
      fingerprint: claim.fingerprint,
      recording_id: recording.id,
      expires_at: claim.expiresAt,
      created_at: recording.createdAt,
    }
    const inserted = await trx
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'key'])
          .doUpdateSet({
            fingerprint: row.fingerprint,
            recording_id: row.recording_id,
            expires_at: row.expires_at,
            created_at: row.created_at,
          })
          .where('idempotency_keys.expires_at', '<=', recording.createdAt),
      )
      .returning('recording_id')
      .executeTakeFirst()
    if (inserted) return null
    const earlier = await trx
      .selectFrom('idempotency_keys')
      .select(['recording_id', 'fingerprint'])
      .where('user_id', '=', claim.userId)
      .where('key', '=', claim.key)
      .executeTakeFirstOrThrow()
    return { recordingId: earlier.recording_id, fingerprint: earlier.fingerprint }
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw translateError(error)
    }
  }
}
