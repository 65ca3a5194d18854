import { describe, expect, it } from 'vitest'
import { RecordingNotFoundError } from './errors.js'
import { isUuid, parseRecordingId, toRecordingId } from './recording-id.js'

const id = '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a0001'

describe('RecordingId', () => {
  it('parses a UUID in either case to its one lower-case spelling', () => {
    expect(parseRecordingId(id)).toBe(id)
    expect(parseRecordingId(id.toUpperCase())).toBe(id)
    expect(toRecordingId(id.toUpperCase())).toBe(id)
  })

  it.each(['', 'abc', `${id}x`, ` ${id}`, '../etc/passwd', '6f1c2a52-5d6e-4f5e-9a43-3c1f3b9a000g', null, 42])(
    'refuses %j',
    (value) => {
      expect(isUuid(value)).toBe(false)
      expect(parseRecordingId(value)).toBeNull()
      if (typeof value === 'string') expect(() => toRecordingId(value)).toThrow(RecordingNotFoundError)
    },
  )
})
