import type { Recording, StartRecording } from './api-types.js'
import { type BackoffOptions, backoffDelay } from './backoff.js'
import { ProblemError } from './problem-error.js'
import type { Transport } from './transport.js'
import { type UploadBody, uploadSource } from './upload-source.js'

export interface UploadOptions {
  readonly sessionId: string
  readonly config?: StartRecording['config']
  /** Kept as the recording's `name` (tus `filename`); a File's own name by default. */
  readonly filename?: string
  /** Bytes per PATCH (default 8 MiB); a stream holds at most this much in memory. */
  readonly chunkSize?: number
  /** Tries per chunk before giving up (default 8), with backoff between them. */
  readonly maxAttempts?: number
  readonly backoff?: BackoffOptions
  readonly onProgress?: (progress: { uploadedBytes: number; totalBytes: number | null }) => void
}

const TUS = { 'tus-resumable': '1.0.0' }

const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)))

/**
 * A resumable upload over tus 1.0.0 (SPEC §9): `POST /uploads` creates the recording, PATCHes send
 * the bytes, and after a failed PATCH a HEAD says where to resume. Resolves with the completed
 * recording (a known length completes by itself; a stream's length is sent with its last chunk).
 */
export async function uploadOverTus(
  transport: Transport,
  body: UploadBody,
  options: UploadOptions,
): Promise<Recording> {
  const source = uploadSource(body)
  const deferred = source.size === null
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024
  const name = options.filename ?? (body as { name?: unknown }).name
  const metadata = [
    `sessionId ${b64(options.sessionId)}`,
    ...(typeof name === 'string' && name ? [`filename ${b64(name)}`] : []),
    ...(options.config?.format ? [`format ${b64(options.config.format)}`] : []),
    ...(options.config?.quality ? [`quality ${b64(options.config.quality)}`] : []),
  ].join(',')
  const created = await transport.fetch('/uploads', {
    method: 'POST',
    headers: {
      ...TUS,
      'upload-metadata': metadata,
      ...(deferred ? { 'upload-defer-length': '1' } : { 'upload-length': String(source.size) }),
    },
  })
  const location = created.headers.get('location')
  if (!location)
    throw new ProblemError({ status: created.status, code: 'NO_LOCATION', detail: 'no Location' })
  const url = new URL(location, `${transport.baseUrl}/`).href
  const id = decodeURIComponent(url.split('/').at(-2) ?? '')

  let offset = 0
  let attempt = 0
  for (;;) {
    const { bytes, last } = await source.chunk(offset, chunkSize)
    try {
      const answer = await transport.fetch(url, {
        method: 'PATCH',
        headers: {
          ...TUS,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
          ...(last && deferred ? { 'upload-length': String(offset + bytes.byteLength) } : {}),
        },
        body: bytes as Uint8Array<ArrayBuffer>,
      })
      offset = Number(answer.headers.get('upload-offset') ?? offset + bytes.byteLength)
      attempt = 0
      options.onProgress?.({ uploadedBytes: offset, totalBytes: source.size })
      if (last && offset >= (source.size ?? 0)) break
    } catch (error) {
      // A client error other than a lost race on the offset will not get better by retrying.
      if (error instanceof ProblemError && error.status < 500 && error.status !== 409) throw error
      attempt += 1
      if (attempt >= (options.maxAttempts ?? 8)) throw error
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, options.backoff)))
      offset = await resumeOffset(transport, url, offset)
    }
  }
  const recording = await transport.json<Recording>(`/recordings/${encodeURIComponent(id)}`)
  return recording.status === 'completed'
    ? recording
    : transport.json<Recording>(`/recordings/${encodeURIComponent(id)}/stop`, { method: 'POST' })
}

/** HEAD on the upload URL: the bytes the server has; the last known offset if it cannot say. */
async function resumeOffset(transport: Transport, url: string, fallback: number): Promise<number> {
  try {
    const head = await transport.fetch(url, { method: 'HEAD', headers: TUS })
    return Number(head.headers.get('upload-offset') ?? fallback)
  } catch {
    return fallback
  }
}
