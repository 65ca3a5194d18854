/** Makes new recording ids. Never fails. */
export interface IdGenerator {
  /** A new random UUID. */
  newId(): string
}
