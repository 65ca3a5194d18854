import type { OpenApiDocument, Parameter, SchemaEntry } from './document-types.js'

// tus 1.0.0 (SPEC §9) on the content URL: its HEAD and PATCH gain the tus headers below. The tus
// routes themselves (POST /uploads, OPTIONS, DELETE, POST override) document themselves in
// src/tus/tus-route-defs.ts.

const str = { type: 'string' as const }
const int = { type: 'integer' as const }
const tusResumable = {
  'Tus-Resumable': { schema: { ...str, example: '1.0.0' }, description: 'Always 1.0.0' },
}

const header = (name: string, description: string, schema: SchemaEntry = str): Parameter => ({
  name,
  in: 'header',
  required: false,
  description,
  schema,
})

/** What tus adds to the content URL's HEAD and PATCH (`headContent`, `patchContent`). */
export function addTusToContent(document: OpenApiDocument): void {
  const item = document.paths?.['/api/v1/recordings/{id}/content']
  const resumable = header('Tus-Resumable', 'tus requests send 1.0.0; without it, §5 semantics apply', {
    ...str,
    enum: ['1.0.0'],
  })
  const patchOnly = [
    header('Upload-Length', 'Once, for an upload created with Upload-Defer-Length: 1', int),
    header('Upload-Checksum', '`<sha1|sha256|md5> <base64>` of this request body; mismatch → 460'),
    header('X-HTTP-Method-Override', 'PATCH, for clients that can only POST'),
  ]
  for (const [operation, extra] of [
    [item?.head, []],
    [item?.patch, patchOnly],
  ] as const) {
    if (!operation) continue
    operation.parameters = [...(operation.parameters ?? []), resumable, ...extra]
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if ('$ref' in response || !status.startsWith('2')) continue
      response.headers = { ...response.headers, ...TUS_RESPONSE_HEADERS }
    }
    operation.responses = { ...operation.responses, ...TUS_RESPONSES }
  }
}

const TUS_RESPONSE_HEADERS = {
  ...tusResumable,
  'Upload-Length': {
    schema: int,
    description: 'HEAD: the declared length (absent with Upload-Defer-Length)',
  },
  'Upload-Defer-Length': { schema: { ...str, enum: ['1'] } },
  'Upload-Expires': { schema: str, description: 'RFC 9110 date: last activity + IDLE_TIMEOUT_S' },
}

/** A problem response added after generation: it refers to the generated `Problem` schema. */
const problemRef = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

const TUS_RESPONSES = {
  410: problemRef('The upload expired or failed'),
  412: {
    ...problemRef('Another Tus-Resumable version; Tus-Version lists the supported ones'),
    headers: { 'Tus-Version': { schema: { ...str, example: '1.0.0' } } },
  },
  460: problemRef('PATCH: Upload-Checksum mismatch; the offset did not move'),
}
