import { describe, expect, it } from 'vitest'
import { makeRecording } from '../testing/index.js'
import { dueOnDelete, dueOnSave } from './due-task.js'

const ctx = (media: boolean, webhooks: boolean) => ({
  options: { media, webhooks },
  newId: () => '00000000-0000-4000-8000-000000000001',
  now: new Date('2026-01-01T00:00:00Z'),
})

describe('dueOnSave', () => {
  it('makes media facts and recording.completed due on completion', () => {
    const done = makeRecording({ status: 'completed' })
    const due = dueOnSave('stopping', done, ctx(true, true))
    expect(due.map((t) => (t.kind === 'media' ? 'media' : t.event.type))).toEqual([
      'media',
      'recording.completed',
    ])
  })

  it('makes recording.failed due on failure, and nothing on a progress save', () => {
    expect(dueOnSave('stopping', makeRecording({ status: 'failed' }), ctx(true, true))).toHaveLength(1)
    expect(dueOnSave('recording', makeRecording({ status: 'recording' }), ctx(true, true))).toEqual([])
  })

  it('makes nothing due when the work is not configured', () => {
    expect(dueOnSave('stopping', makeRecording({ status: 'completed' }), ctx(false, false))).toEqual([])
    expect(dueOnDelete(makeRecording({ status: 'completed' }), ctx(true, false))).toEqual([])
  })

  it('gives each webhook event a stable id and the recording it is about', () => {
    const r = makeRecording({ status: 'completed' })
    const [task] = dueOnDelete(r, ctx(false, true))
    expect(task).toMatchObject({ kind: 'webhook', event: { type: 'recording.deleted', recording: r } })
    expect(task?.kind === 'webhook' && task.event.id).toBe('evt_00000000-0000-4000-8000-000000000001')
  })
})
