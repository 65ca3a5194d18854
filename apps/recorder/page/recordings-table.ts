import type { Client, Recording } from '@rec/client'
import { byId, formatBytes, formatDuration, showMessage } from './dom.js'

/** The user's recordings with playback (through a playback URL) and delete. */
export class RecordingsTable {
  readonly #client: Client
  readonly #body = byId<HTMLTableSectionElement>('recordings')
  readonly #player = byId<HTMLVideoElement>('playback')
  readonly #playerState = byId('playback-state')
  #refreshing: Promise<void> | null = null
  #again = false

  constructor(client: Client) {
    this.#client = client
    this.#player.addEventListener('playing', () => this.#playback('playing'))
    this.#player.addEventListener('error', () => this.#playback('error'))
  }

  /** Reloads the list; calls that arrive during a reload coalesce into one more. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true
      return this.#refreshing
    }
    this.#refreshing = this.#load().finally(() => {
      this.#refreshing = null
      if (this.#again) {
        this.#again = false
        this.refresh().catch(() => {})
      }
    })
    return this.#refreshing
  }

  async #load(): Promise<void> {
    const page = await this.#client.recordings.list({ limit: 20 })
    this.#body.replaceChildren(...page.data.map((r) => this.#row(r)))
  }

  #row(recording: Recording): HTMLTableRowElement {
    const row = document.createElement('tr')
    row.dataset.id = recording.id
    row.dataset.status = recording.status
    for (const text of [
      new Date(recording.startedAt).toLocaleString(),
      recording.status,
      formatBytes(recording.sizeBytes),
      formatDuration(recording.durationMs),
    ]) {
      row.insertCell().textContent = text
    }
    const actions = row.insertCell()
    if (recording.status === 'completed')
      actions.append(this.#button('Play', 'play', () => this.play(recording.id)))
    actions.append(this.#button('Delete', 'delete', () => this.#delete(recording.id)))
    return row
  }

  #button(label: string, name: string, action: () => Promise<void>): HTMLButtonElement {
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = label
    button.className = name
    button.addEventListener('click', () => {
      button.disabled = true
      action()
        .catch((error: unknown) => showMessage(`${label} failed: ${(error as Error).message}`))
        .finally(() => {
          button.disabled = false
        })
    })
    return button
  }

  /** Plays a recording through a signed playback URL (a `<video>` cannot send Authorization). */
  async play(id: string): Promise<void> {
    this.#playback('loading')
    const { url } = await this.#client.recordings.playbackUrl(id)
    this.#player.hidden = false
    this.#player.dataset.recordingId = id
    this.#player.src = url
    await this.#player.play()
  }

  async #delete(id: string): Promise<void> {
    await this.#client.recordings.delete(id)
    if (this.#player.dataset.recordingId === id) {
      this.#player.removeAttribute('src')
      this.#player.hidden = true
    }
    await this.refresh()
  }

  #playback(state: string): void {
    this.#playerState.textContent =
      state === 'playing' ? `playing ${this.#player.dataset.recordingId}` : state
    document.body.dataset.playback = state
  }
}
