import { isUuid, type ListPosition, normaliseId } from '@rec/domain'

const CURSOR = /^[A-Za-z0-9_-]{1,100}$/

/**
 * The opaque `cursor` of the list: the last recording's position, `<createdAt ms>.<id>` in
 * base64url. Millisecond precision is exact because the service writes every timestamp from a
 * JavaScript Date.
 */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`).toString('base64url')
}

/** The position a cursor names, or null for anything this service did not hand out. */
export function decodeCursor(cursor: string): ListPosition | null {
  if (!CURSOR.test(cursor)) return null
  const [ms, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('.')
  if (extra !== undefined || !ms || !/^\d{1,15}$/.test(ms) || !id || !isUuid(id) || normaliseId(id) !== id)
    return null
  return { createdAt: new Date(Number(ms)), id }
}
