import { describe, expect, it } from 'vitest'
import { boundHeapGrowth } from '../src/heap-growth.js'

describe('boundHeapGrowth', () => {
  it('bounds the old space growth when node was given no factor', () => {
    expect(boundHeapGrowth(['--enable-source-maps'])).toBe('--heap-growing-percent=50')
  })

  it("leaves the operator's own factor alone, in either spelling", () => {
    expect(boundHeapGrowth(['--heap-growing-percent=200'])).toBeNull()
    expect(boundHeapGrowth(['--heap_growing_percent=10'])).toBeNull()
  })

  it('is not fooled by a longer flag of another name', () => {
    expect(boundHeapGrowth(['--heap-growing-percentile=3'])).toBe('--heap-growing-percent=50')
  })
})
