/** Columns of `idempotency_keys`: which recording a (user, Idempotency-Key) started. */
export interface IdempotencyKeyTable {
  user_id: string
  key: string
  fingerprint: string
  recording_id: string
  expires_at: Date
  created_at: Date
}
