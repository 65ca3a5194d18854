import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { parseTimestamptz } from './timestamp-parser.js'

const standard = pg.types.getTypeParser(1184, 'text') as (value: string) => Date | number

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL prints exactly as pg does', () => {
    for (const value of [
      '2026-11-26 15:53:52.926251+00',
      '2026-11-26 15:53:52.926+00',
      '2026-11-26 15:53:52+00',
      '2026-01-01 00:00:00.5-08',
      '2026-06-30 23:59:59.999+05:30',
      '1999-12-31 23:59:59.123456-03:30',
      '2026-02-28 12:00:00+14',
    ]) {
      expect(parseTimestamptz(value)).toEqual(standard(value))
    }
  })

  it('leaves infinity, BC dates and years past 9999 to pg', () => {
    for (const value of ['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '12026-01-01 00:00:00+00']) {
      expect(parseTimestamptz(value)).toEqual(standard(value))
    }
  })
})
