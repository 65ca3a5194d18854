import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { HttpRequest, HttpResponse } from 'tus-js-client'

/** Where tests leave what a reader needs after the run (committed when it documents behaviour). */
// Test artifacts go beside CI's reports (.ci/out, not tracked): a run never dirties the tree.
export const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', '..', '.ci', 'out')

/**
 * Every request a tus-js-client upload made, as `METHOD path → status` with the Upload-Offset it
 * sent and the one it got back, fed from the client's own onBeforeRequest / onAfterResponse hooks.
 */
export class TusTranscript {
  readonly #lines: string[] = []
  readonly #pending = new Map<HttpRequest, number>()
  readonly #origin: string

  constructor(origin: string) {
    this.#origin = origin
  }

  note(text: string): void {
    this.#lines.push(`# ${text}`)
  }

  /** The hooks to spread into `new Upload(file, { ...transcript.hooks(), … })`. */
  hooks() {
    const request = (req: HttpRequest) => {
      const sent = req.getHeader('Upload-Offset')
      return `${req.getMethod().padEnd(5)} ${req.getURL().replace(this.#origin, '')}${sent !== undefined ? `  (Upload-Offset: ${sent})` : ''}`
    }
    return {
      // A request that never gets an answer (aborted, or the server killed under it) stays so.
      onBeforeRequest: (req: HttpRequest) => {
        this.#pending.set(req, this.#lines.push(`${request(req)}  → no response`) - 1)
      },
      onAfterResponse: (req: HttpRequest, res: HttpResponse) => {
        const got = res.getHeader('Upload-Offset')
        const length = res.getHeader('Upload-Length')
        const line =
          `${request(req)}  → ${res.getStatus()}` +
          `${got ? `  Upload-Offset: ${got}` : ''}${length ? `  Upload-Length: ${length}` : ''}`
        const at = this.#pending.get(req)
        if (at === undefined) this.#lines.push(line)
        else this.#lines[at] = line
        this.#pending.delete(req)
      },
    }
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`
  }

  async save(name: string): Promise<string> {
    await mkdir(ARTIFACTS, { recursive: true })
    const file = join(ARTIFACTS, name)
    await writeFile(file, this.text())
    return file
  }
}
