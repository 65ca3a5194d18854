import type { KeyedMutex } from './keyed-mutex.js'
import type { RecordingRepo } from './ports/recording-repo.js'
import { isTerminal, type StopReason } from './recording.js'
import { toRecordingId } from './recording-id.js'
import type { RecordingLimits } from './recording-service-types.js'
import type { RecordingWriter } from './recording-writer.js'
import { finishStuck, type StopDeps, stopRecording } from './stop-recording.js'

export interface ExpireDeps extends Omit<StopDeps, 'writer'> {
  readonly repo: RecordingRepo
  readonly limits: RecordingLimits
  readonly stuckStoppingMs: number
  readonly mutex: KeyedMutex
  readonly writer: RecordingWriter
}

/**
 * Applies the idle timeout and the duration limit to recordings nobody streams to, including
 * those left by a crash, and finishes `stopping` ones stuck past `stuckStoppingMs` (a crash
 * between stop and finalize): completed from the stored bytes, or failed when bytes the row
 * counted are gone. An upload of known length that expires short of it fails. Resolves with how
 * many it ended.
 */
export async function expireDue(d: ExpireDeps, batch: number): Promise<number> {
  const now = d.clock.now().getTime()
  const { idleTimeoutMs, maxDurationMs } = d.limits
  const due = await d.repo.findExpired(new Date(now - idleTimeoutMs), new Date(now - maxDurationMs), batch)
  let ended = 0
  for (const candidate of due) {
    const reason: StopReason =
      now - candidate.startedAt.getTime() >= maxDurationMs ? 'limit_duration' : 'idle_timeout'
    try {
      await d.mutex.run(toRecordingId(candidate.id), async () => {
        const current = await d.repo.findById(candidate.id)
        if (!current || isTerminal(current.status)) return
        if (current.status === 'stopping') {
          // Another instance may be finalizing it right now; only one stuck past the grace is ours.
          if (now - (current.stoppedAt ?? current.updatedAt).getTime() < d.stuckStoppingMs) return
          await finishStuck(d, current)
        } else {
          await stopRecording(d, current, reason)
        }
        ended++
      })
    } catch (error) {
      d.writer.warn('expire', error, undefined)
    }
  }
  return ended
}
