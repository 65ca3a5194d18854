/**
 * A version of each user's list of recordings that changes with every write of any of their rows
 * (created, saved, progress included, deleted), so a page read at one version is never served
 * after such a write. A version is never given twice, whatever is evicted or expires. Shared by
 * every instance when its store is (Redis): a write on one makes pages cached on all unusable.
 */
export interface ListVersions {
  /** The user's current version. Rejects when its store is down; callers then read the repository. */
  current(userId: string): Promise<string>
  /** Moves the user to a new version, after a write of one of their recordings has committed. Rejects when its store is down. */
  bump(userId: string): Promise<void>
}
