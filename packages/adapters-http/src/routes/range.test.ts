import { describe, expect, it } from 'vitest'
import { etagOf, ifRangeAllows, matchesNoneMatch, parseRange } from './range.js'

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', { kind: 'from', start: 0, end: 9 }],
    ['bytes=10-', { kind: 'from', start: 10, end: null }],
    ['bytes=-5', { kind: 'suffix', length: 5 }],
    ['BYTES=1-2', { kind: 'from', start: 1, end: 2 }],
    ['bytes=99999999999999999999-', { kind: 'from', start: Number.MAX_SAFE_INTEGER, end: null }],
  ])('parses %s', (header, range) => {
    expect(parseRange(header)).toEqual(range)
  })

  it.each([undefined, 'bytes=0-1,4-5', 'bytes=-', 'items=0-1', 'bytes=a-b', 'bytes 0-1', ''])(
    'answers null (whole body) for %j',
    (header) => {
      expect(parseRange(header)).toBeNull()
    },
  )
})

describe('validators', () => {
  it('makes a strong ETag of the checksum hex', () => {
    expect(etagOf('sha256:abc')).toBe('"abc"')
    expect(etagOf(null)).toBeNull()
  })

  it('matches If-None-Match weakly, lists and *', () => {
    expect(matchesNoneMatch('"abc"', '"abc"')).toBe(true)
    expect(matchesNoneMatch('W/"abc"', '"abc"')).toBe(true)
    expect(matchesNoneMatch('"x", "abc"', '"abc"')).toBe(true)
    expect(matchesNoneMatch('*', '"abc"')).toBe(true)
    expect(matchesNoneMatch('"x"', '"abc"')).toBe(false)
    expect(matchesNoneMatch(undefined, '"abc"')).toBe(false)
  })

  it('honours If-Range only with the same strong ETag', () => {
    expect(ifRangeAllows(undefined, '"abc"')).toBe(true)
    expect(ifRangeAllows('"abc"', '"abc"')).toBe(true)
    expect(ifRangeAllows('W/"abc"', '"abc"')).toBe(false)
  })
})
