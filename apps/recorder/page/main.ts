import { createClient, type RecordSession } from '@rec/client'
import { Devices } from './devices.js'
import { byId, formatBytes, showMessage } from './dom.js'
import { RecordingsTable } from './recordings-table.js'
import { forgetToken, obtainToken, tokenSubject } from './token.js'

// The recorder page (SPEC §11), on the SDK: preview and device choice, start/stop with live acked
// bytes and reconnecting state, the user's recordings with playback and delete. `body[data-phase]`
// mirrors the session's state so tests (and CSS) can follow it.
const startButton = byId<HTMLButtonElement>('start')
const stopButton = byId<HTMLButtonElement>('stop')
const phase = (value: string) => {
  document.body.dataset.phase = value
  byId('state').textContent = value
}

async function main(): Promise<void> {
  const token = await obtainToken()
  byId('user').textContent = `user ${tokenSubject(token)}`
  const client = createClient({ baseUrl: location.origin, token })
  const table = new RecordingsTable(client)
  try {
    await table.refresh()
  } catch (error) {
    forgetToken()
    throw error
  }
  byId('recorder').hidden = false
  const devices = new Devices()
  await devices.open()
  // Background reloads: a failure (the server restarting) is retried by the next update.
  const reload = () => void table.refresh().catch(() => {})
  client.events({ onUpdate: reload, onReady: reload })

  let session: RecordSession | null = null
  startButton.disabled = false
  phase('idle')

  startButton.addEventListener('click', () => {
    if (!devices.stream) return
    showMessage(null)
    startButton.disabled = true
    devices.lock(true)
    const current = client.record(devices.stream, {
      sessionId: crypto.randomUUID(),
      config: { format: 'webm' },
    })
    session = current
    current.on('state', (state) => {
      phase(state)
      if (state === 'recording') byId('connection').textContent = 'connected'
    })
    current.on('progress', ({ ackedBytes, sentBytes }) => {
      byId('acked').textContent = formatBytes(ackedBytes)
      byId('acked').dataset.bytes = String(ackedBytes)
      byId('sent').textContent = formatBytes(sentBytes)
    })
    current.on('reconnecting', ({ attempt, delayMs }) => {
      byId('connection').textContent = `reconnecting (attempt ${attempt}, in ${delayMs} ms)`
    })
    current.on('error', (error) => showMessage(`recording failed: ${error.message}`))
    current.recording.then(
      (recording) => {
        byId('recording-id').textContent = recording.id
        stopButton.disabled = false
        reload()
      },
      () => {},
    )
  })

  stopButton.addEventListener('click', () => {
    const current = session
    if (!current) return
    stopButton.disabled = true
    current
      .stop()
      .then(
        (recording) => {
          byId('recording-id').textContent =
            `${recording.id} (${formatBytes(recording.sizeBytes)}, ${recording.checksum})`
          byId('connection').textContent = 'closed'
        },
        () => {},
      )
      .finally(() => {
        session = null
        startButton.disabled = false
        devices.lock(false)
        reload()
      })
  })
}

main().catch((error: unknown) => {
  phase('error')
  showMessage(`the page could not start: ${(error as Error).message}`)
})
