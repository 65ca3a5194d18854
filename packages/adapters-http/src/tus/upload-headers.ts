import type { UploadState } from '@rec/domain'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { httpDate } from './tus-protocol.js'

/** Upload-Offset, Upload-Length (or Upload-Defer-Length: 1) and Upload-Expires of an upload. */
export function setUploadHeaders(c: Context<AppEnv>, state: UploadState): void {
  if (state.kind === 'completed') {
    // A finished upload: whoever resumes it sees every byte there.
    const size = String(state.recording.sizeBytes)
    c.header('Upload-Offset', size)
    c.header('Upload-Length', size)
    return
  }
  c.header('Upload-Offset', String(state.offset))
  const length = state.recording.uploadLength
  if (length === null) c.header('Upload-Defer-Length', '1')
  else c.header('Upload-Length', String(length))
  c.header('Upload-Expires', httpDate(state.expiresAt))
}
