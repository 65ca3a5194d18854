/** A slab's size: frames are copied into the current slab until the next one does not fit. */
const SLAB_BYTES = 1024 * 1024
/** Frames larger than this are kept as they came (a copy would take a slab of its own). */
const MAX_COPIED_BYTES = SLAB_BYTES / 4
/** Free slabs kept for reuse; beyond it a drained slab is left to the garbage collector. */
const MAX_FREE_SLABS = 64
/**
 * Every this often, free slabs that were not taken since the last time are let go: a burst (a
 * flood of 8 streams holds some 32 slabs) leaves no 64 MiB behind for the process's lifetime.
 */
const TRIM_EVERY_MS = 2000

interface Slab {
  readonly bytes: Uint8Array
  used: number
  /** Frames copied into it whose append has not settled yet. */
  pending: number
}

/**
 * Copies WebSocket frames into reused slabs as they arrive, so the socket's own buffers die young.
 *
 * Why (bench/NOTES.md, "The flood and the garbage collector"): V8 counts every `ArrayBuffer` of
 * a frame as external memory. A frame kept past a scavenge while the batch before it is written
 * is promoted, and each 64 MB of promoted frames costs a full mark-compact of the whole heap: a
 * 64 KiB-frame flood ran about 100 of them per GB (raw `ws` + `fs`, which writes each frame as it
 * comes, ran 1). A slab lives as long as the process and is reused once every frame copied into
 * it was stored, so frames held while a write lands allocate nothing; the copy is a `memcpy`.
 *
 * The store may be handed the copies only because a BlobStore does not keep an array body's
 * memory once its append settled (the port says so; the contract checks it).
 */
export class FramePool {
  #current: Slab | null = null
  readonly #free: Slab[] = []
  /** The fewest free slabs since the last trim: that many were not needed all along. */
  #lowWater = 0
  #trimTimer: ReturnType<typeof setInterval> | null = null
  /** The slab of each copy, found from the copy's ArrayBuffer; weak, so a slab no one uses goes. */
  readonly #slabs = new WeakMap<ArrayBufferLike, Slab>()

  /** The frame's bytes in a slab (a large frame as it is); give it back with `release`. */
  copy(frame: Uint8Array): Uint8Array {
    const size = frame.byteLength
    if (size > MAX_COPIED_BYTES || size === 0) return frame
    let slab = this.#current
    if (slab === null || slab.used + size > SLAB_BYTES) slab = this.#next(slab)
    const copy = slab.bytes.subarray(slab.used, slab.used + size)
    copy.set(frame)
    slab.used += size
    slab.pending++
    return copy
  }

  /** The copies' appends settled (stored or not): their slabs may be reused once all have. */
  release(copies: readonly Uint8Array[]): void {
    for (const copy of copies) {
      const slab = this.#slabs.get(copy.buffer)
      if (slab === undefined) continue
      slab.pending--
      if (slab.pending === 0 && slab !== this.#current) this.#recycle(slab)
    }
  }

  #next(full: Slab | null): Slab {
    if (full !== null && full.pending === 0) this.#recycle(full)
    let slab = this.#free.pop()
    if (this.#free.length < this.#lowWater) this.#lowWater = this.#free.length
    if (slab === undefined) {
      slab = { bytes: new Uint8Array(SLAB_BYTES), used: 0, pending: 0 }
      this.#slabs.set(slab.bytes.buffer, slab)
    }
    slab.used = 0
    this.#current = slab
    return slab
  }

  #recycle(slab: Slab): void {
    if (this.#free.length >= MAX_FREE_SLABS) return
    this.#free.push(slab)
    if (this.#trimTimer === null) {
      this.#lowWater = this.#free.length
      this.#trimTimer = setInterval(() => this.#trim(), TRIM_EVERY_MS)
      this.#trimTimer.unref()
    }
  }

  /** Lets go of the free slabs no one took since the last trim; stops when none is left. */
  #trim(): void {
    this.#free.splice(0, this.#lowWater)
    this.#lowWater = this.#free.length
    if (this.#free.length === 0 && this.#trimTimer !== null) {
      clearInterval(this.#trimTimer)
      this.#trimTimer = null
    }
  }

  /** Free slabs held for reuse (tests read it). */
  get freeSlabs(): number {
    return this.#free.length
  }
}
