import type { DueTask } from '../after-completion/due-task.js'
import { RecordingAlreadyActiveError } from '../errors.js'
import type { MediaFacts, StoredRendition } from '../media-facts.js'
import type {
  CreateOutcome,
  IdempotencyClaim,
  ListQuery,
  RecordingPage,
  RecordingRepo,
} from '../ports/recording-repo.js'
import { isActive, type Recording, type RecordingStatus } from '../recording.js'

/** In-memory RecordingRepo for domain tests; passes the same contract suite as PostgreSQL. */
export class MemoryRecordingRepo implements RecordingRepo {
  readonly #rows = new Map<string, Recording>()
  /** Every task committed with a save or delete, in order: what a job queue would have received. */
  readonly due: DueTask[] = []
  readonly #claims = new Map<string, IdempotencyClaim & { recordingId: string }>()

  async create(recording: Recording, claim: IdempotencyClaim | null): Promise<CreateOutcome> {
    if (claim) {
      const earlier = this.#claims.get(`${claim.userId}\n${claim.key}`)
      if (earlier && earlier.expiresAt > recording.createdAt) {
        return { kind: 'replayed', recordingId: earlier.recordingId, fingerprint: earlier.fingerprint }
      }
    }
    for (const row of this.#rows.values()) {
      if (row.userId === recording.userId && row.sessionId === recording.sessionId && isActive(row.status)) {
        throw new RecordingAlreadyActiveError()
      }
    }
    this.#rows.set(recording.id, recording)
    if (claim) this.#claims.set(`${claim.userId}\n${claim.key}`, { ...claim, recordingId: recording.id })
    return { kind: 'created' }
  }

  async findById(id: string): Promise<Recording | null> {
    return this.#rows.get(id) ?? null
  }

  async listItems(query: ListQuery): Promise<readonly Recording[]> {
    return this.#page(query).items
  }

  async list(query: ListQuery): Promise<RecordingPage> {
    return this.#page(query)
  }

  #page(query: ListQuery): RecordingPage {
    const matching = [...this.#rows.values()]
      .filter(
        (r) =>
          r.userId === query.userId &&
          (query.status === null || r.status === query.status) &&
          (query.sessionId === null || r.sessionId === query.sessionId),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    const { after } = query
    if (after) {
      const rest = matching.filter(
        (r) =>
          r.createdAt.getTime() < after.createdAt.getTime() ||
          (r.createdAt.getTime() === after.createdAt.getTime() && r.id < after.id),
      )
      return { items: rest.slice(0, query.limit), total: matching.length }
    }
    const from = (query.page - 1) * query.limit
    return { items: matching.slice(from, from + query.limit), total: matching.length }
  }

  async update(
    recording: Recording,
    expected: RecordingStatus,
    due: readonly DueTask[] = [],
  ): Promise<boolean> {
    const current = this.#rows.get(recording.id)
    if (!current || current.status !== expected) return false
    this.#rows.set(recording.id, recording)
    this.due.push(...due)
    return true
  }

  async saveMedia(
    id: string,
    media: MediaFacts,
    seekable: StoredRendition | null,
    due: readonly DueTask[] = [],
  ): Promise<boolean> {
    const current = this.#rows.get(id)
    if (current?.status !== 'completed') return false
    this.#rows.set(id, { ...current, media, seekable })
    this.due.push(...due)
    return true
  }

  async delete(id: string, due: readonly DueTask[] = []): Promise<boolean> {
    const deleted = this.#rows.delete(id)
    if (deleted) this.due.push(...due)
    return deleted
  }

  async findExpired(idleBefore: Date, startedBefore: Date, limit: number): Promise<readonly Recording[]> {
    return [...this.#rows.values()]
      .filter((r) => isActive(r.status) && (r.lastActivityAt < idleBefore || r.startedAt < startedBefore))
      .sort((a, b) => a.lastActivityAt.getTime() - b.lastActivityAt.getTime())
      .slice(0, limit)
  }

  async findCompletedBefore(createdBefore: Date, limit: number): Promise<readonly Recording[]> {
    return [...this.#rows.values()]
      .filter((r) => r.status === 'completed' && r.createdAt < createdBefore)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
  }

  async deleteExpiredClaims(before: Date): Promise<number> {
    let removed = 0
    for (const [key, claim] of this.#claims) {
      if (claim.expiresAt < before && this.#claims.delete(key)) removed++
    }
    return removed
  }
}
