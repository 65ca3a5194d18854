/** Where the domain reports what it swallowed (a cache or event failure). Never fails. */
export interface Logger {
  warn(message: string, details: Record<string, unknown>): void
}
