import { byId } from './dom.js'

/** Camera and microphone: the preview, and the choice of device (kept while not recording). */
export class Devices {
  stream: MediaStream | null = null
  readonly #camera = byId<HTMLSelectElement>('camera')
  readonly #microphone = byId<HTMLSelectElement>('microphone')
  readonly #preview = byId<HTMLVideoElement>('preview')

  /** Asks for the devices (the browser prompts once), then lists them for choice. */
  async open(): Promise<MediaStream> {
    const stream = await this.#acquire()
    await this.#list()
    for (const select of [this.#camera, this.#microphone]) {
      select.addEventListener('change', () => void this.#acquire())
    }
    return stream
  }

  /** Device choice is locked while recording (a MediaRecorder keeps its tracks). */
  lock(locked: boolean): void {
    this.#camera.disabled = locked
    this.#microphone.disabled = locked
  }

  async #acquire(): Promise<MediaStream> {
    for (const track of this.stream?.getTracks() ?? []) track.stop()
    const pick = (select: HTMLSelectElement) => (select.value ? { deviceId: { exact: select.value } } : true)
    this.stream = await navigator.mediaDevices.getUserMedia({
      video: pick(this.#camera),
      audio: pick(this.#microphone),
    })
    this.#preview.srcObject = this.stream
    return this.stream
  }

  async #list(): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices()
    const current = (kind: 'video' | 'audio') =>
      this.stream
        ?.getTracks()
        .find((t) => t.kind === kind)
        ?.getSettings().deviceId
    const fill = (select: HTMLSelectElement, kind: MediaDeviceKind, selected: string | undefined) => {
      select.replaceChildren(
        ...devices
          .filter((d) => d.kind === kind)
          .map(
            (d, i) => new Option(d.label || `${kind} ${i + 1}`, d.deviceId, false, d.deviceId === selected),
          ),
      )
    }
    fill(this.#camera, 'videoinput', current('video'))
    fill(this.#microphone, 'audioinput', current('audio'))
  }
}
