import pg from 'pg'

const TIMESTAMPTZ_OID = 1184
const standard = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => Date | number
// What PostgreSQL prints for a timestamptz in ISO DateStyle: date, time, optional fraction, offset
// in hours with optional minutes. Years beyond 9999, BC dates and infinity go to pg's own parser.
const ISO = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?$/

/**
 * timestamptz text → Date without pg's general-purpose parser (`postgres-date`), which was 6–7 %
 * of the list route's CPU at 100 timestamps a page (bench/NOTES.md); the engine's own ISO-8601
 * parser reads the normalised string. Anything unusual is left to pg.
 */
export function parseTimestamptz(value: string): Date | number {
  const match = ISO.exec(value)
  if (!match) return standard(value)
  const [, date, time, hours, minutes = '00'] = match
  const parsed = Date.parse(`${date}T${time}${hours}:${minutes}`)
  return Number.isNaN(parsed) ? standard(value) : new Date(parsed)
}

/** pg's type parsers for this pool: the fast timestamptz one, pg's defaults for the rest. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary'
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
}
