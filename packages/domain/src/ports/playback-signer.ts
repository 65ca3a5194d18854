/** What a playback URL grants: reading one recording's media until `expiresAt` (whole seconds). */
export interface PlaybackGrant {
  readonly recordingId: string
  readonly expiresAt: Date
}

/**
 * Signs and checks playback grants. The key lives in the adapter; the domain never sees it, and
 * decides alone who gets a grant (`PlaybackAccess.issue`).
 */
export interface PlaybackSigner {
  /** An opaque, URL-safe signature of exactly this grant. Never fails. */
  sign(grant: PlaybackGrant): string
  /**
   * Whether `signature` is what `sign` made for exactly this grant (same recording, same expiry),
   * compared in constant time. Never throws: anything malformed is simply false.
   */
  verify(grant: PlaybackGrant, signature: string): boolean
}
