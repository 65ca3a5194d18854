import type { Recording } from './recording.js'

/**
 * How early, at most, the Upload-Expires of a tus PATCH may be: its answer comes from the row as
 * last saved, and progress is saved behind the PATCHes (bench/NOTES.md), not before each answer.
 */
export const UPLOAD_EXPIRES_SLACK_MS = 5000

/** When an upload left alone expires: its last activity plus the idle timeout (tus Upload-Expires). */
export const uploadExpiresAt = (recording: Recording, idleTimeoutMs: number): Date =>
  new Date(recording.lastActivityAt.getTime() + idleTimeoutMs)

/** True when the idle timeout has passed for a recording still taking bytes. */
export const isIdleExpired = (recording: Recording, now: Date, idleTimeoutMs: number): boolean =>
  recording.status === 'recording' && now.getTime() >= uploadExpiresAt(recording, idleTimeoutMs).getTime()

/**
 * Why an automatic stop fails an upload instead of completing it: a known length not reached
 * means the file is incomplete, which no one can play. Null when it may complete.
 */
export function shortOfLength(recording: Recording, storedBytes: number): string | null {
  const length = recording.uploadLength
  if (length === null || storedBytes >= length) return null
  return `upload expired at offset ${storedBytes} of its Upload-Length ${length} bytes`
}
