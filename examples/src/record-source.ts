import type { Recording, RecordingService, StartCommand } from '@rec/domain'

export interface RecordSourceOptions extends StartCommand {
  /** The media bytes, in order: a file's read stream, `process.stdin`, any async iterable. */
  readonly source: AsyncIterable<Uint8Array>
}

/**
 * Records `source` into a new recording through the domain's use cases: start → append → stop.
 * Resolves with the completed recording (size and `sha256:` checksum). When the source fails
 * midway the recording stays `recording` with the bytes stored so far, resumable like a dropped
 * stream, and the source's error is rethrown.
 *
 * @example
 * const recording = await recordSource(service, { userId, sessionId, source: createReadStream(path) })
 * console.log(recording.checksum)
 */
export async function recordSource(
  service: RecordingService,
  { source, ...start }: RecordSourceOptions,
): Promise<Recording> {
  const { recording } = await service.start(start)
  const appended = await service.append({
    userId: start.userId,
    id: recording.id,
    offset: 0,
    body: source,
    progress: 'now',
  })
  // A limit (size, duration) may have completed it during the append.
  return appended.completed ?? service.stop(start.userId, recording.id)
}
