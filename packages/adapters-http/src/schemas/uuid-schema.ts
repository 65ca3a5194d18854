import { z } from '@hono/zod-openapi'

/**
 * A UUID as the API takes it in: validated, then lowercased once, here at the edge, so every
 * answer spells an id as later reads do (PostgreSQL prints uuids lowercase) and ids compare equal
 * however a client cased them (idempotent replays, stream takeovers, session filters).
 */
export const UuidSchema = z
  .uuid()
  .transform((id) => id.toLowerCase())
  .openapi({ type: 'string', format: 'uuid' })
