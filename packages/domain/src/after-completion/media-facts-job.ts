import type { BlobStore } from '../ports/blob-store.js'
import type { Cache } from '../ports/cache.js'
import type { Clock } from '../ports/clock.js'
import type { IdGenerator } from '../ports/id-generator.js'
import type { MediaProbe } from '../ports/media-probe.js'
import type { RecordingRepo } from '../ports/recording-repo.js'
import type { AfterCompletionOptions, DueTask } from './due-task.js'
import { webhook } from './due-task.js'

export interface MediaFactsJobDeps {
  readonly repo: RecordingRepo
  readonly blobs: BlobStore
  readonly cache: Cache
  readonly probe: MediaProbe
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly afterCompletion: AfterCompletionOptions
}

/**
 * The media job of a completed recording: reads the stored container and saves what it holds,
 * with `recording.media_ready` committed alongside. Safe to run again (a retry, a second
 * instance after a crash): a recording whose facts are known, or that is gone, is left alone.
 */
export class MediaFactsJob {
  readonly #d: MediaFactsJobDeps

  constructor(deps: MediaFactsJobDeps) {
    this.#d = deps
  }

  /** Rejects when the store or the database fails, so the queue retries; unreadable bytes do not. */
  async run(recordingId: string): Promise<void> {
    const recording = await this.#d.repo.findById(recordingId)
    if (recording?.status !== 'completed' || recording.media !== null) return
    const media = await this.#d.probe.probe({
      sizeBytes: recording.sizeBytes,
      read: (range) => this.#d.blobs.read(recording.id, range),
    })
    const ctx = {
      options: this.#d.afterCompletion,
      newId: () => this.#d.ids.newId(),
      now: this.#d.clock.now(),
    }
    const due: DueTask[] = ctx.options.webhooks
      ? [webhook('recording.media_ready', { ...recording, media }, ctx)]
      : []
    if (await this.#d.repo.saveMedia(recording.id, media, due)) {
      await this.#d.cache.delete(recording.id).catch(() => {})
    }
  }
}
