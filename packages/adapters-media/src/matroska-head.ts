const EBML = 0x1a45dfa3
const SEGMENT = 0x18538067
const SEEK_HEAD = 0x114d9b74
const SEEK_ID = 0x53ab
const INFO = 0x1549a966
const DURATION = 0x4489
const CUES = 0x1c53bb6b
const CLUSTER = 0x1f43b675

/** What the head of a Matroska/WebM file says about seeking in it. */
export interface MatroskaHead {
  readonly hasDuration: boolean
  readonly hasCues: boolean
}

interface Element {
  readonly id: number
  /** Where the element's data starts. */
  readonly data: number
  /** Its data's size; null when unknown (a live muxer's Segment or Cluster). */
  readonly size: number | null
}

/**
 * Reads the top of a Matroska/WebM file (its first bytes, up to the first Cluster): whether the
 * Info element has a Duration and whether Cues exist (listed in the SeekHead, or met before the
 * clusters). A browser's MediaRecorder writes neither. Null when `head` is not Matroska.
 */
export function readMatroskaHead(head: Uint8Array): MatroskaHead | null {
  const first = element(head, 0)
  if (first?.id !== EBML || first.size === null) return null
  const segment = element(head, first.data + first.size)
  if (segment?.id !== SEGMENT) return null
  let hasDuration = false
  let hasCues = false
  let at = segment.data
  for (;;) {
    const child = element(head, at)
    if (child === null || child.id === CLUSTER || child.size === null) break
    const end = Math.min(child.data + child.size, head.length)
    if (child.id === INFO) hasDuration ||= children(head, child.data, end).some((c) => c.id === DURATION)
    if (child.id === CUES) hasCues = true
    if (child.id === SEEK_HEAD) hasCues ||= seeksTo(head, child.data, end, CUES)
    at = child.data + child.size
  }
  return { hasDuration, hasCues }
}

function seeksTo(bytes: Uint8Array, start: number, end: number, target: number): boolean {
  return children(bytes, start, end).some((seek) =>
    children(bytes, seek.data, Math.min(seek.data + (seek.size ?? 0), end)).some(
      (c) => c.id === SEEK_ID && c.size !== null && readUint(bytes, c.data, c.size) === target,
    ),
  )
}

function children(bytes: Uint8Array, start: number, end: number): Element[] {
  const found: Element[] = []
  let at = start
  while (at < end) {
    const child = element(bytes, at)
    if (child === null || child.size === null) break
    found.push(child)
    at = child.data + child.size
  }
  return found
}

function element(bytes: Uint8Array, at: number): Element | null {
  const id = vint(bytes, at, true)
  if (id === null || id.length > 4) return null
  const size = vint(bytes, at + id.length, false)
  if (size === null) return null
  return { id: id.value, data: at + id.length + size.length, size: size.unknown ? null : size.value }
}

/** An EBML variable-size integer: the ID keeps its length marker, a size drops it. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean) {
  const lead = bytes[at]
  if (lead === undefined || lead === 0) return null
  const length = Math.clz32(lead) - 23
  if (at + length > bytes.length) return null
  let value = keepMarker ? lead : lead & (0xff >> length)
  let allOnes = value === 0xff >> length
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i] ?? 0
    value = value * 256 + b
    allOnes &&= b === 0xff
  }
  return { value, length, unknown: !keepMarker && allOnes }
}

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let value = 0
  for (let i = 0; i < size; i++) value = value * 256 + (bytes[at + i] ?? 0)
  return value
}
