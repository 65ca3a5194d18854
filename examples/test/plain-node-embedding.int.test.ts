import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProjects, WORKSPACE_ROOT } from '#test-support/build-workspace.js'

// What another service does: a plain `node` script, outside this repository, that depends on the
// built @rec/domain by path (what `npm install <path>` links) and uses only its in-memory adapters.
const SCRIPT = `
import { RecordingService } from '@rec/domain'
import { MemoryBlobStore, MemoryCache, MemoryEventBus, MemoryRecordingRepo, RandomIds, SystemClock } from '@rec/domain/memory'

const clock = new SystemClock()
const service = new RecordingService({
  repo: new MemoryRecordingRepo(),
  blobs: new MemoryBlobStore(),
  cache: new MemoryCache(clock),
  events: new MemoryEventBus(),
  clock,
  ids: new RandomIds(),
  logger: { warn: (message) => console.error(message) },
  limits: { maxBytes: 1 << 20, maxDurationMs: 60_000, idleTimeoutMs: 60_000 },
})
const userId = crypto.randomUUID()
const { recording } = await service.start({ userId, sessionId: crypto.randomUUID() })
async function* media() {
  yield new TextEncoder().encode('hello, ')
  yield new TextEncoder().encode('embedded world')
}
await service.append({ userId, id: recording.id, offset: 0, body: media() })
const stopped = await service.stop(userId, recording.id)
console.log(JSON.stringify({ status: stopped.status, sizeBytes: stopped.sizeBytes, checksum: stopped.checksum }))
`

describe('a plain node script outside the repository embeds the built @rec/domain', () => {
  let dir: string

  beforeAll(async () => {
    buildProjects('packages/domain')
    dir = await mkdtemp(join(tmpdir(), 'rec-embed-'))
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'embedder',
        private: true,
        type: 'module',
        dependencies: { '@rec/domain': `file:${join(WORKSPACE_ROOT, 'packages/domain')}` },
      }),
    )
    await mkdir(join(dir, 'node_modules/@rec'), { recursive: true })
    await symlink(join(WORKSPACE_ROOT, 'packages/domain'), join(dir, 'node_modules/@rec/domain'), 'dir')
    await writeFile(join(dir, 'record.mjs'), SCRIPT)
  }, 120_000)

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('runs start → append → stop with the in-memory adapters and gets the sha256 checksum', () => {
    expect(dir.startsWith(WORKSPACE_ROOT)).toBe(false)
    const run = spawnSync(process.execPath, ['record.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const expected = createHash('sha256').update('hello, embedded world').digest('hex')
    expect(JSON.parse(run.stdout)).toEqual({
      status: 'completed',
      sizeBytes: 21,
      checksum: `sha256:${expected}`,
    })
  })
})
