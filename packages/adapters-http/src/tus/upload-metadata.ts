import { FORMATS, type Format, isUuid, normaliseId, QUALITIES, type Quality } from '@rec/domain'
import { HttpProblem } from '../problems/http-problem.js'

/** What a tus creation asks for, taken from its Upload-Metadata. */
export interface UploadRequest {
  readonly sessionId: string
  readonly config: { readonly format?: Format; readonly quality?: Quality }
  readonly name: string | null
}

/** MIME types (`filetype`, as Uppy and browsers send) of the formats the service stores. */
const FORMAT_OF_MIME: Readonly<Record<string, Format>> = {
  'video/webm': 'webm',
  'audio/webm': 'webm',
  'video/mp4': 'mp4',
  'audio/mp4': 'mp4',
  'video/x-matroska': 'mkv',
  'audio/x-matroska': 'mkv',
  'video/ogg': 'ogg',
  'audio/ogg': 'ogg',
  'application/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const KEY = /^[^\s,]+$/

const invalid = (key: string, message: string): HttpProblem =>
  new HttpProblem('VALIDATION_FAILED', {
    detail: `Upload-Metadata: ${key} ${message}`,
    errors: [{ path: `headers.upload-metadata.${key}`, message }],
  })

/**
 * Parses `Upload-Metadata`: comma-separated pairs `key base64(value)`, or a key alone (empty
 * value). Keys are unique. Malformed → 400.
 */
export function parseUploadMetadata(header: string | undefined): ReadonlyMap<string, string> {
  const pairs = new Map<string, string>()
  if (header === undefined || header.trim() === '') return pairs
  for (const item of header.split(',')) {
    const [key = '', value, ...rest] = item.trim().split(' ')
    if (!KEY.test(key) || rest.length > 0) throw invalid('', 'is not a list of "key base64" pairs')
    if (pairs.has(key)) throw invalid(key, 'is given twice')
    if (value !== undefined && !BASE64.test(value)) throw invalid(key, 'is not base64')
    pairs.set(key, value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8'))
  }
  return pairs
}

/**
 * The recording a creation asks for: `sessionId` (required), `format` or else `filetype` (a MIME
 * type; an unknown one leaves the default, since clients send whatever the file says), `quality`,
 * `filename` (the recording's name). Other keys are ignored: clients such as Uppy add their own.
 */
export function toUploadRequest(metadata: ReadonlyMap<string, string>): UploadRequest {
  const sessionId = metadata.get('sessionId')
  if (sessionId === undefined) throw invalid('sessionId', 'is required')
  if (!isUuid(sessionId)) throw invalid('sessionId', 'must be a UUID')
  const format = metadata.get('format')
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    throw invalid('format', `must be one of ${FORMATS.join(', ')}`)
  }
  const quality = metadata.get('quality')
  if (quality !== undefined && !(QUALITIES as readonly string[]).includes(quality)) {
    throw invalid('quality', `must be one of ${QUALITIES.join(', ')}`)
  }
  const mime = metadata.get('filetype')?.split(';')[0]?.trim().toLowerCase()
  const chosen = (format as Format | undefined) ?? (mime ? FORMAT_OF_MIME[mime] : undefined)
  const name = metadata.get('filename') ?? null
  if (name !== null && name.length > 500) throw invalid('filename', 'must be at most 500 characters')
  return {
    sessionId: normaliseId(sessionId),
    config: { ...(chosen ? { format: chosen } : {}), ...(quality ? { quality: quality as Quality } : {}) },
    name: name === '' ? null : name,
  }
}
