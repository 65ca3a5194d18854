import { setFlagsFromString } from 'node:v8'

/** The old space may grow to 1.5× what the last full collection left live (bench/NOTES.md). */
const HEAP_GROWING_PERCENT = 50

/**
 * Bounds how far V8 lets the old space grow past its live size before the next full collection;
 * returns the flag it set, or null when node was given one (the operator's choice wins).
 *
 * Why: V8 picks the factor from its own GC speed, up to 4× on a small heap. The service's live heap
 * is small (some 20 MB idle, 11 KB more an open stream) but it promotes short-lived objects
 * steadily, so the old space filled with garbage up to 75–115 MB before a full collection: most of
 * the gap between the service's peak RSS and a bare `ws` server's. At 1.5× the peak with 2,000
 * streams fell from 270 to 186 MB, with the same CPU, ack latency and flood throughput. V8 reads
 * the flag at every collection, so setting it at run time works (unlike the new space's size).
 */
export function boundHeapGrowth(execArgv: readonly string[]): string | null {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return null
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`
  setFlagsFromString(flag)
  return flag
}
