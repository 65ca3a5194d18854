import { describe, expect, it } from 'vitest'
import { ListPages } from './list-pages.js'
import type { ListQuery, RecordingPage } from './ports/recording-repo.js'
import type { Recording } from './recording.js'

const query: ListQuery = { userId: 'u', status: null, sessionId: null, page: 1, limit: 20 }
const page = (items: number): RecordingPage => ({
  items: Array.from({ length: items }, () => ({}) as Recording),
  total: items,
})

describe('ListPages', () => {
  it('keys every field that shapes a page, the version included; a cursor page ignores `page`', () => {
    const key = (q: Partial<ListQuery>, version = '1') => ListPages.key({ ...query, ...q }, version)
    const keys = [
      key({}),
      key({}, '2'),
      key({ userId: 'v' }),
      key({ status: 'completed' }),
      key({ sessionId: 's' }),
      key({ page: 2 }),
      key({ limit: 21 }),
      key({ after: { createdAt: new Date(1), id: 'a' } }),
      key({ after: { createdAt: new Date(2), id: 'a' } }),
      key({ after: { createdAt: new Date(1), id: 'b' } }),
    ]
    expect(new Set(keys).size).toBe(keys.length)
    const after = { createdAt: new Date(1), id: 'a' }
    expect(key({ after, page: 3 })).toBe(key({ after, page: 1 }))
  })

  it('answers the same page object until it expires', () => {
    const pages = new ListPages()
    const held = page(2)
    pages.set('k', held, 1000)
    expect(pages.get('k', 999)).toBe(held)
    expect(pages.get('k', 1000)).toBeNull()
    expect(pages.size).toBe(0)
  })

  it('holds at most maxItems recordings, dropping the oldest pages first; clear forgets all', () => {
    const pages = new ListPages({ maxItems: 5 })
    pages.set('a', page(2), 10)
    pages.set('b', page(2), 10)
    pages.set('c', page(2), 10)
    expect([pages.get('a', 0), pages.get('b', 0) !== null, pages.get('c', 0) !== null]).toEqual([
      null,
      true,
      true,
    ])
    pages.set('too-big', page(6), 10)
    expect(pages.get('too-big', 0)).toBeNull()
    pages.clear()
    expect(pages.size).toBe(0)
  })
})
