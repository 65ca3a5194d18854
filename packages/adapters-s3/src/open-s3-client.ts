import { S3Client } from '@aws-sdk/client-s3'

export interface S3ClientOptions {
  /** Any S3-compatible endpoint; omitted for AWS itself. */
  readonly endpoint?: string | undefined
  readonly region: string
  /** Path-style URLs (`host/bucket/key`), which MinIO and s3rver need. */
  readonly forcePathStyle: boolean
  /** Explicit credentials (tests); omitted, the SDK reads the standard AWS variables and profiles. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly maxAttempts?: number
}

/**
 * An S3 client for the blob store. Checksums only `WHEN_REQUIRED`: with the SDK's default, streamed
 * bodies carry aws-chunked framing that some S3-compatible servers (s3rver 3.7) store as content.
 */
export function openS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  })
}
