import type { Format } from '@rec/domain'

/** What a download's file name is made of; `name` is the client's (tus `filename`), when there is one. */
export interface NamedMedia {
  readonly id: string
  readonly config: { readonly format: Format }
  readonly name?: string | null
}

// Control characters, path separators and characters Windows refuses in file names.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}/\\:*?"<>|]+/gu
const MAX_NAME = 200

/** The recording's `name` (made safe) or its id, plus the format's extension unless it has it. */
export function downloadFileName(media: NamedMedia): string {
  const cleaned = [...(media.name ?? '').replace(UNSAFE, '_').trim()]
    .slice(0, MAX_NAME)
    .join('')
    .replace(/^[.\s]+|[.\s]+$/g, '')
  const base = cleaned === '' ? media.id : cleaned
  const extension = `.${media.config.format}`
  return base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`
}

/** RFC 5987 `value-chars`: encodeURIComponent leaves `'()*` as they are, which attr-char does not allow. */
const encodeRfc5987 = (value: string): string =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * `Content-Disposition` (RFC 6266) for `fileName`: a quoted ASCII `filename` every client reads,
 * plus `filename*=UTF-8''…` (RFC 5987) when the name is not plain ASCII, which modern clients prefer.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  // A lone surrogate would make encodeURIComponent throw.
  const name = fileName.replace(/\p{Cs}/gu, '\ufffd')
  // `%` too: some clients percent-decode the plain parameter.
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  if (ascii === name) return `${type}; filename="${ascii}"`
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`
}
