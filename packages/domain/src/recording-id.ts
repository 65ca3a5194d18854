import { RecordingNotFoundError } from './errors.js'

/** The one UUID pattern of the service (any version, either case). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

declare const recordingIdBrand: unique symbol

/**
 * A recording id as the domain keys it: a UUID, in lower case. PostgreSQL accepts `A…` and `a…`
 * as the same uuid, so every map, lock, cache key and file name must see one spelling; an id
 * becomes a RecordingId once, at the edge where it enters, instead of being lower-cased again at
 * each use.
 */
export type RecordingId = string & { readonly [recordingIdBrand]: true }

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID_PATTERN.test(value)

/** The one spelling of an id (a user's, a session's, a recording's): lower case, as PostgreSQL prints it. */
export const normaliseId = (value: string): string => value.toLowerCase()

/** The RecordingId of a UUID in either case, or null for anything else. */
export const parseRecordingId = (value: unknown): RecordingId | null =>
  isUuid(value) ? (normaliseId(value) as RecordingId) : null

/**
 * Like `parseRecordingId`, for the use cases: a value that is no UUID names no recording, so it is
 * a RecordingNotFoundError (the same answer as a UUID nobody has).
 *
 * @example const key = toRecordingId(request.params.id)
 */
export function toRecordingId(value: string): RecordingId {
  const id = parseRecordingId(value)
  if (id === null) throw new RecordingNotFoundError()
  return id
}
