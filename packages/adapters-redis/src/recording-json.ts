import type { Recording } from '@rec/domain'

const DATE_FIELDS = new Set(['startedAt', 'stoppedAt', 'lastActivityAt', 'createdAt', 'updatedAt'])

/** JSON for Redis: dates become ISO-8601 strings (what `Date#toJSON` does). */
export const encodeRecording = (recording: Recording): string => JSON.stringify(recording)

/**
 * The inverse of `encodeRecording`: revives the Date fields, so a cached or published recording
 * is indistinguishable from one the repository returned. Throws on anything that is not one.
 */
export function decodeRecording(json: string): Recording {
  const value: unknown = JSON.parse(json, (key, raw: unknown) =>
    DATE_FIELDS.has(key) && typeof raw === 'string' ? new Date(raw) : raw,
  )
  if (!isRecordingLike(value)) throw new Error('not a recording')
  // Entries written before uploads had a name and a length lack them: they have neither.
  return { ...value, name: value.name ?? null, uploadLength: value.uploadLength ?? null }
}

function isRecordingLike(value: unknown): value is Recording {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return (
    typeof r.id === 'string' &&
    typeof r.userId === 'string' &&
    typeof r.status === 'string' &&
    typeof r.sizeBytes === 'number' &&
    r.startedAt instanceof Date &&
    r.updatedAt instanceof Date
  )
}
