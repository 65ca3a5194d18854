import { mustTransition } from './must-transition.js'
import type { BlobStore } from './ports/blob-store.js'
import type { Clock } from './ports/clock.js'
import type { Recording, StopReason } from './recording.js'
import type { RecordingWriter } from './recording-writer.js'
import { shortOfLength } from './upload-expiry.js'

export interface StopDeps {
  readonly blobs: BlobStore
  readonly clock: Clock
  readonly writer: RecordingWriter
}

/**
 * recording → stopping (with the stored size) → completed; or failed when an automatic stop
 * finds no byte, or an upload short of its announced length. The caller holds the recording's lock.
 */
export async function stopRecording(
  d: StopDeps,
  recording: Recording,
  reason: StopReason,
): Promise<Recording> {
  let current = recording
  if (current.status === 'recording') {
    const now = d.clock.now()
    const size = await d.blobs.size(current.id)
    const grown =
      size === current.sizeBytes
        ? current
        : mustTransition(current, { type: 'progress', sizeBytes: size }, now)
    current = await d.writer.save(mustTransition(grown, { type: 'stop', reason }, now), 'recording')
  }
  d.writer.forgetLocal(current.id)
  if (current.status !== 'stopping') return current
  const now = d.clock.now()
  const automatic = reason !== 'client'
  const failure =
    current.sizeBytes === 0 && automatic
      ? 'no media was received'
      : automatic && reason !== 'limit_size'
        ? shortOfLength(current, current.sizeBytes)
        : null
  if (failure !== null) {
    await d.blobs.delete(current.id)
    return d.writer.save(mustTransition(current, { type: 'fail', reason: failure }, now), 'stopping')
  }
  const stored = await d.blobs.finalize(current.id)
  return d.writer.save(mustTransition(current, { type: 'complete', ...stored }, now), 'stopping')
}

/** A `stopping` left by a crash: finished from the stored bytes, or failed when some are gone. */
export async function finishStuck(d: StopDeps, stopping: Recording): Promise<Recording> {
  if ((await d.blobs.size(stopping.id)) < stopping.sizeBytes) {
    const failed = mustTransition(stopping, { type: 'fail', reason: 'stored media was lost' }, d.clock.now())
    return d.writer.save(failed, 'stopping')
  }
  return stopRecording(d, stopping, stopping.stopReason ?? 'client')
}
