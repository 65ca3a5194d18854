import { z } from '@hono/zod-openapi'
import { CONTENT_VARIANTS, RECORDING_STATUSES } from '@rec/domain'
import { decodeCursor } from './list-cursor.js'
import { RecordingConfigSchema } from './recording-schema.js'
import { UuidSchema } from './uuid-schema.js'

export const IdParamsSchema = z.object({
  id: UuidSchema.openapi({ example: '0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11' }),
})

export const StartBodySchema = z
  .strictObject({
    sessionId: UuidSchema,
    config: RecordingConfigSchema.optional(),
  })
  .openapi('StartRecording')

export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
    .optional(),
})

/** Decimal digits only: `Number('1e3')` or `' 12'` must not sneak through as offsets or pages. */
const integerString = (name: string) =>
  z.string().regex(/^\d{1,15}$/, `${name} must be a non-negative integer`)

export const ListQuerySchema = z.object({
  page: integerString('page')
    .default('1')
    .transform(Number)
    .pipe(z.number().int().min(1))
    .openapi({ type: 'integer', example: 1 }),
  limit: integerString('limit')
    .default('20')
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .openapi({ type: 'integer', example: 20 }),
  status: z.enum(RECORDING_STATUSES).optional(),
  sessionId: UuidSchema.optional(),
  /** `nextCursor` of the previous page; `page` is then ignored. Deep pages cost what page 1 does. */
  cursor: z
    .string()
    .transform((value, ctx) => {
      const position = decodeCursor(value)
      if (position === null) ctx.addIssue({ code: 'custom', message: 'cursor is not one this API returned' })
      return position ?? z.NEVER
    })
    .optional()
    .openapi({
      type: 'string',
      example: 'MTc2NzIyNTYwMDAwMC4wYjdlOGY2Yy0zYzFlLTRjNGUtOWE1MS04ZDJmMGU2YzFhMTE',
    }),
})

export const UploadHeadersSchema = z.object({
  'upload-offset': integerString('Upload-Offset').transform(Number).openapi({ type: 'integer' }),
})

export const RangeHeadersSchema = z.object({
  range: z.string().optional().openapi({ example: 'bytes=0-1023' }),
  'if-none-match': z.string().optional(),
  'if-range': z.string().optional().openapi({ description: 'An ETag; a stale one → the whole body (200)' }),
})

/** `?variant=`: which bytes a download serves (SPEC §13); the original unless asked. */
export const ContentQuerySchema = z.object({
  variant: z.enum(CONTENT_VARIANTS).default('original'),
})
