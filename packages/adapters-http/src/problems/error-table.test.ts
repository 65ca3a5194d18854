import { DomainError, type DomainErrorCode, ERROR_CODES } from '@rec/domain'
import { describe, expect, it } from 'vitest'
import { CLOSE, streamFailure } from '../ws/close-codes.js'
import { ERROR_TABLE, isErrorCode } from './error-table.js'

const domainError = (code: DomainErrorCode): DomainError =>
  new (class extends DomainError {
    readonly code = code
  })('a domain error')

describe('the error tables cover every domain code', () => {
  it.each(ERROR_CODES)('%s has a problem row and a close code', (code) => {
    expect(isErrorCode(code)).toBe(true)
    expect(ERROR_TABLE[code].status).toBeGreaterThanOrEqual(400)
    const failure = streamFailure(domainError(code))
    expect(Object.values(CLOSE)).toContain(failure.close)
    expect(failure.code).toBe(code)
  })

  it('a table that misses a code does not compile', () => {
    // @ts-expect-error RECORDING_NOT_FOUND alone is not every DomainErrorCode
    const incomplete = { RECORDING_NOT_FOUND: 404 } satisfies Record<DomainErrorCode, number>
    expect(Object.keys(incomplete)).toHaveLength(1)
  })
})
