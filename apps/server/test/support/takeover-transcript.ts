import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChildServer } from './child-server.js'
import { ARTIFACTS } from './tus-transcript.js'

interface Entry {
  readonly at: number
  readonly who: string
  readonly text: string
}

/** Server log fields worth showing beside the message (no user ids or tokens). */
const FIELDS = ['path', 'closeCode', 'outcome', 'waitedMs', 'released', 'tookMs', 'status'] as const

/**
 * What the clients saw (frames, close codes, offsets) and what the instances logged about one
 * recording, merged by time: the evidence of a takeover across instances.
 */
export class TakeoverTranscript {
  readonly #entries: Entry[] = []
  readonly #start = Date.now()

  /** A client-side event (a frame received, a close) as it happens. */
  note(who: string, text: string): void {
    this.#entries.push({ at: Date.now(), who, text })
  }

  /** Everything `server` logged about `recordingId` (pino JSON lines), stamped with the server's own time. */
  addServerLog(who: string, server: ChildServer, recordingId: string): void {
    for (const line of server.lines) {
      if (!line.includes(recordingId)) continue
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        continue
      }
      const fields = FIELDS.filter((f) => entry[f] !== undefined)
        .map((f) => `${f}=${String(entry[f]).replace(recordingId, ':id')}`)
        .join(' ')
      this.#entries.push({ at: Number(entry.time), who, text: `log "${String(entry.msg)}" ${fields}` })
    }
  }

  text(title: string): string {
    const lines = [...this.#entries]
      .sort((a, b) => a.at - b.at)
      .map(
        (e) =>
          `${new Date(e.at).toISOString().slice(11, 23)} +${String(e.at - this.#start).padStart(5)} ms  ${e.who.padEnd(9)} ${e.text}`,
      )
    return `== ${title}\n${lines.join('\n')}\n`
  }

  async save(file: string, title: string): Promise<string> {
    const text = this.text(title)
    await mkdir(ARTIFACTS, { recursive: true })
    await writeFile(join(ARTIFACTS, file), text)
    return text
  }
}
