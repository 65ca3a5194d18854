/**
 * Why a record session ended without completing. `code`: `TAKEN_OVER` (another stream of the
 * recording took over, close 4000), `BUFFER_FULL` (more than `maxBufferedBytes` unacknowledged),
 * `SOURCE_FAILED`, `RESUME_MISMATCH` (the server's `ready` offset is outside the bytes held), or
 * the server's error code (`NOT_FOUND`, `INVALID_STATE`, …) with `closeCode` 44xx.
 */
export class RecordError extends Error {
  override readonly name = 'RecordError'
  readonly code: string
  /** The WebSocket close code that ended the session, when one did. */
  readonly closeCode: number | null

  constructor(code: string, message: string, closeCode: number | null = null) {
    super(message)
    this.code = code
    this.closeCode = closeCode
  }
}
