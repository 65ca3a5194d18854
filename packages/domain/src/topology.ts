/**
 * How many instances share the stores (the database, the media and the cache).
 * - `single`: this process is the only one; it trusts what it wrote (its open media handles, the
 *   rows of its attached streams) instead of checking the stores on every append.
 * - `shared`: other instances write the same stores; each append re-checks the stored file and,
 *   after writing, that the recording is still `recording`, so a byte written after another
 *   instance stopped it is never acked.
 */
export const TOPOLOGIES = ['single', 'shared'] as const
export type Topology = (typeof TOPOLOGIES)[number]
