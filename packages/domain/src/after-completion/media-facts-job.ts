import { isMediaUnreadable, type MediaFacts, type StoredRendition } from '../media-facts.js'
import type { BlobStore } from '../ports/blob-store.js'
import type { Cache } from '../ports/cache.js'
import type { Clock } from '../ports/clock.js'
import type { IdGenerator } from '../ports/id-generator.js'
import type { ListVersions } from '../ports/list-versions.js'
import type { MediaProbe, ProbeSource } from '../ports/media-probe.js'
import type { MediaRemuxer } from '../ports/media-remuxer.js'
import type { RecordingRepo } from '../ports/recording-repo.js'
import type { AfterCompletionOptions, DueTask } from './due-task.js'
import { webhook } from './due-task.js'

export interface MediaFactsJobDeps {
  readonly repo: RecordingRepo
  readonly blobs: BlobStore
  readonly cache: Cache
  readonly probe: MediaProbe
  readonly remuxer: MediaRemuxer
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly afterCompletion: AfterCompletionOptions
  /** The users' list versions, moved when the facts are saved (list items carry them); none by default. */
  readonly listVersions?: ListVersions | null
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
    const source: ProbeSource = {
      sizeBytes: recording.sizeBytes,
      read: (range) => this.#d.blobs.read(recording.id, range),
    }
    const media = await this.#d.probe.probe(source)
    const seekable = await this.#seekable(media, source)
    const ctx = {
      options: this.#d.afterCompletion,
      newId: () => this.#d.ids.newId(),
      now: this.#d.clock.now(),
    }
    const due: DueTask[] = ctx.options.webhooks
      ? [webhook('recording.media_ready', { ...recording, media, seekable }, ctx)]
      : []
    if (await this.#d.repo.saveMedia(recording.id, media, seekable, due)) {
      // The cached copy lacks the facts; its TTL bounds the staleness if the cache is down.
      await this.#d.cache.delete(recording.id).catch(() => {})
      await this.#d.listVersions?.bump(recording.userId).catch(() => {})
    } else if (seekable !== null) {
      await this.#d.blobs.delete(seekable.key)
    }
  }

  /**
   * Stores a seekable copy of a WebM/Matroska that lacks duration or cues, under a key of its
   * own. A crash before the row points at it leaves an unreferenced blob under a fresh key, and
   * the retry makes another; the original is only ever read.
   */
  async #seekable(media: MediaFacts, source: ProbeSource): Promise<StoredRendition | null> {
    if (isMediaUnreadable(media) || !['webm', 'matroska'].includes(media.container)) return null
    const copy = await this.#d.remuxer.seekableCopy(source)
    if (copy === null) return null
    const key = this.#d.ids.newId()
    await this.#d.blobs.append(key, 0, copy)
    return { key, ...(await this.#d.blobs.finalize(key)) }
  }
}
