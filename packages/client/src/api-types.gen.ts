// Generated from the service's served /openapi.json by openapi-typescript; do not edit.
// Regenerate: pnpm --filter @rec/client generate [url]  (test/api-types-drift.int.test.ts fails on drift)
export interface paths {
    "/api/v1/recordings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's recordings, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    page?: number;
                    sessionId?: string;
                    status?: "recording" | "stopping" | "completed" | "failed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RecordingPage"];
                    };
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A recording */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The recording */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Recording"];
                    };
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a recording and its media */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the media of a completed recording
         * @description One `Range: bytes=a-b | a- | -n` → 206; several ranges are ignored (200 whole). If-None-Match → 304.
         */
        get: {
            parameters: {
                query?: never;
                header?: {
                    "if-none-match"?: string;
                    range?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The whole media */
                200: {
                    headers: {
                        "Accept-Ranges"?: string;
                        "Content-Length"?: number;
                        /** @description Fixed by config.format */
                        "Content-Type"?: string;
                        /** @description The SHA-256 hex of the bytes, quoted */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": string;
                    };
                };
                /** @description One range of it */
                206: {
                    headers: {
                        "Accept-Ranges"?: string;
                        "Content-Length"?: number;
                        /** @description Fixed by config.format */
                        "Content-Type"?: string;
                        /** @description The SHA-256 hex of the bytes, quoted */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": string;
                    };
                };
                /** @description Not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not completed yet (RECORDING_NOT_COMPLETED) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Range outside the content (RANGE_NOT_SATISFIABLE), with Content-Range: bytes *\/size */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * PATCH, DELETE or HEAD for clients that can only POST (X-HTTP-Method-Override)
         * @description With Tus-Resumable, HEAD answers Upload-Offset, Upload-Length or Upload-Defer-Length: 1, Upload-Expires and Cache-Control: no-store (410 UPLOAD_GONE once failed or expired); PATCH takes Upload-Checksum (sha1, sha256, md5: a mismatch is 460 and keeps none of the bytes) and, once, Upload-Length for a deferred length; reaching the length completes the recording.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description tus version; another → 412 with Tus-Version */
                    "tus-resumable": "1.0.0";
                    "x-http-method-override": "PATCH" | "DELETE" | "HEAD";
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/offset+octet-stream": string;
                };
            };
            responses: {
                /** @description As HEAD */
                200: {
                    headers: {
                        /** @description 1.0.0 */
                        "Tus-Resumable"?: string;
                        /** @description 1 while the length is not known yet */
                        "Upload-Defer-Length"?: number;
                        /** @description HTTP-date: last activity + IDLE_TIMEOUT_S */
                        "Upload-Expires"?: string;
                        /** @description Announced length (completed: the size) */
                        "Upload-Length"?: number;
                        /** @description Bytes stored */
                        "Upload-Offset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description As PATCH or DELETE */
                204: {
                    headers: {
                        /** @description 1.0.0 */
                        "Tus-Resumable"?: string;
                        /** @description 1 while the length is not known yet */
                        "Upload-Defer-Length"?: number;
                        /** @description HTTP-date: last activity + IDLE_TIMEOUT_S */
                        "Upload-Expires"?: string;
                        /** @description Announced length (completed: the size) */
                        "Upload-Length"?: number;
                        /** @description Bytes stored */
                        "Upload-Offset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description OFFSET_MISMATCH, RECORDING_NOT_RECORDING or UPLOAD_LENGTH_CONFLICT */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The upload failed or expired (UPLOAD_GONE) */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Tus-Resumable names another version (TUS_VERSION_UNSUPPORTED), with Tus-Version */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is longer than the upload may still take (UPLOAD_LENGTH_EXCEEDED) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body does not match Upload-Checksum (CHECKSUM_MISMATCH); nothing stored */
                460: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Terminate an upload (tus termination): deletes the recording */
        delete: {
            parameters: {
                query?: never;
                header: {
                    /** @description tus version; another → 412 with Tus-Version */
                    "tus-resumable": "1.0.0";
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        "Tus-Resumable"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Tus-Resumable names another version (TUS_VERSION_UNSUPPORTED), with Tus-Version */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** tus capabilities (a CORS preflight is answered by CORS instead) */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What this server supports */
                204: {
                    headers: {
                        /** @example sha1,sha256,md5 */
                        "Tus-Checksum-Algorithm"?: string;
                        /** @example creation,creation-with-upload,creation-defer-length,termination,checksum,expiration */
                        "Tus-Extension"?: string;
                        /** @description MAX_RECORDING_BYTES */
                        "Tus-Max-Size"?: number;
                        "Tus-Resumable"?: string;
                        /** @example 1.0.0 */
                        "Tus-Version"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        /** Upload offset while recording; download headers once completed */
        head: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description While recording: Upload-Offset (bytes stored). Completed: the headers of GET. */
                200: {
                    headers: {
                        "Accept-Ranges"?: string;
                        "Content-Length"?: number;
                        /** @description Fixed by config.format */
                        "Content-Type"?: string;
                        /** @description The SHA-256 hex of the bytes, quoted */
                        ETag?: string;
                        /** @description While recording */
                        "Upload-Offset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Stopping or failed (RECORDING_NOT_COMPLETED) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Append media at Upload-Offset (tus core)
         * @description The body is streamed into storage. When a size or duration limit completes the recording during the request, the answer is still 204 with the final Upload-Offset; bytes past the limit are dropped and a following PATCH gets 409 RECORDING_NOT_RECORDING.
         */
        patch: {
            parameters: {
                query?: never;
                header: {
                    "upload-offset": number;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/offset+octet-stream": string;
                };
            };
            responses: {
                /** @description Stored */
                204: {
                    headers: {
                        /** @description Bytes stored now */
                        "Upload-Offset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description OFFSET_MISMATCH (with the current Upload-Offset) or RECORDING_NOT_RECORDING */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Content-Type is not application/offset+octet-stream */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Storage refused the write (STORAGE_WRITE_FAILED) */
                507: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/recordings/{id}/playback-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A signed, expiring URL to play or download a completed recording without a token
         * @description For `<video src>`, media players and download links, which cannot send `Authorization`. The URL reads this one recording (GET/HEAD with `Range`) until `expiresAt` (PLAYBACK_URL_TTL_S), carries no JWT, and stops working when the recording is deleted. Treat it as a secret: anyone holding it can read the media until it expires.
         */
        post: operations["createPlaybackUrl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status of a recording (cached) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Status */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RecordingStatus"];
                    };
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop a recording once every accepted byte is stored
         * @description On a completed recording: 200 unchanged. On a failed one: 409 INVALID_TRANSITION.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Completed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Recording"];
                    };
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description INVALID_TRANSITION (failed recording) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a recording for a session
         * @description With an Idempotency-Key, the same key from the same user within 24 h returns the first recording (201 again, `Idempotent-Replayed: true`).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StartRecording"];
                };
            };
            responses: {
                /** @description Started (or replayed) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Recording"];
                    };
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description RECORDING_ALREADY_ACTIVE or IDEMPOTENCY_KEY_REUSED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Body over 64 KiB (PAYLOAD_TOO_LARGE) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Body is not JSON (UNSUPPORTED_MEDIA_TYPE) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a resumable upload (tus creation, creation-with-upload, creation-defer-length)
         * @description Upload-Metadata: `sessionId` (required, UUID), `format` or `filetype` (MIME) → config.format, `quality`, `filename` → name; other keys are ignored. A body (application/offset+octet-stream) is stored at once. Idempotency-Key as for start.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    "idempotency-key"?: string;
                    /** @description tus version; another → 412 with Tus-Version */
                    "tus-resumable": "1.0.0";
                    "upload-checksum"?: string;
                    "upload-defer-length"?: "1";
                    "upload-length"?: number;
                    "upload-metadata": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/offset+octet-stream": string;
                };
            };
            responses: {
                /** @description Created; Location is the upload URL (the recording content URL) */
                201: {
                    headers: {
                        "Idempotent-Replayed"?: string;
                        Location?: string;
                        /** @description 1.0.0 */
                        "Tus-Resumable"?: string;
                        /** @description 1 while the length is not known yet */
                        "Upload-Defer-Length"?: number;
                        /** @description HTTP-date: last activity + IDLE_TIMEOUT_S */
                        "Upload-Expires"?: string;
                        /** @description Announced length (completed: the size) */
                        "Upload-Length"?: number;
                        /** @description Bytes stored */
                        "Upload-Offset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation problem with `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token (UNAUTHORIZED) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description RECORDING_ALREADY_ACTIVE or IDEMPOTENCY_KEY_REUSED */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Tus-Resumable names another version (TUS_VERSION_UNSUPPORTED), with Tus-Version */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Upload-Length over MAX_RECORDING_BYTES (UPLOAD_TOO_LARGE) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A body that is not application/offset+octet-stream */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body does not match Upload-Checksum (CHECKSUM_MISMATCH); nothing stored */
                460: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        /** tus capabilities (a CORS preflight is answered by CORS instead) */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What this server supports */
                204: {
                    headers: {
                        /** @example sha1,sha256,md5 */
                        "Tus-Checksum-Algorithm"?: string;
                        /** @example creation,creation-with-upload,creation-defer-length,termination,checksum,expiration */
                        "Tus-Extension"?: string;
                        /** @description MAX_RECORDING_BYTES */
                        "Tus-Max-Size"?: number;
                        "Tus-Resumable"?: string;
                        /** @example 1.0.0 */
                        "Tus-Version"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process serves requests */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Alive */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: every backend answers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every backend answers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description A backend is failing */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/playback/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Play or download a recording through a signed URL (no Authorization)
         * @description The URL that `createPlaybackUrl` returned. One `Range` → 206, unsatisfiable → 416, several ranges → 200 whole; If-None-Match → 304. Not rate limited: a player issues many range requests, and a forged URL is refused before any database read.
         */
        get: operations["getPlayback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /** The headers of `getPlayback`, without the body */
        head: operations["headPlayback"];
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "healthy";
            /** Format: date-time */
            timestamp: string;
            /** @description seconds since the process started */
            uptime: number;
        };
        PlaybackUrl: {
            /**
             * Format: date-time
             * @example 2026-01-01T01:00:00.000Z
             */
            expiresAt: string;
            /**
             * Format: uri
             * @example https://rec.example.com/playback/0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11?expires=1767229200&signature=3q2-7wX0…
             */
            url: string;
        };
        Problem: {
            /** @example RECORDING_NOT_FOUND */
            code: string;
            detail: string;
            errors?: {
                message: string;
                path: string;
            }[];
            requestId: string;
            status: number;
            title: string;
            type: string;
        };
        Readiness: {
            /**
             * @example {
             *       "postgres": "ok",
             *       "redis": "failing"
             *     }
             */
            checks: {
                [key: string]: "ok" | "failing";
            };
            /** @enum {string} */
            status: "ready" | "unavailable";
        };
        Recording: {
            /** @example sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 */
            checksum: string | null;
            config: {
                /** @enum {string} */
                format: "webm" | "mp4" | "mkv" | "ogg" | "wav" | "mp3";
                /** @enum {string} */
                quality: "low" | "medium" | "high";
            };
            /**
             * Format: date-time
             * @example 2026-01-01T00:00:00.000Z
             */
            createdAt: string;
            durationMs: number | null;
            failureReason: string | null;
            /** Format: uuid */
            id: string;
            /**
             * @description The file name a tus upload gave (filename)
             * @example talk.webm
             */
            name: string | null;
            /** Format: uuid */
            sessionId: string;
            sizeBytes: number;
            /**
             * Format: date-time
             * @example 2026-01-01T00:00:00.000Z
             */
            startedAt: string;
            /** @enum {string} */
            status: "recording" | "stopping" | "completed" | "failed";
            /**
             * Format: date-time
             * @example 2026-01-01T00:00:00.000Z
             */
            stoppedAt: string | null;
            /** @enum {string|null} */
            stopReason: "client" | "limit_size" | "limit_duration" | "idle_timeout" | null;
            /**
             * Format: date-time
             * @example 2026-01-01T00:00:00.000Z
             */
            updatedAt: string;
            /** Format: uuid */
            userId: string;
        };
        RecordingConfig: {
            /**
             * @default webm
             * @enum {string}
             */
            format: "webm" | "mp4" | "mkv" | "ogg" | "wav" | "mp3";
            /**
             * @default high
             * @enum {string}
             */
            quality: "low" | "medium" | "high";
        };
        RecordingPage: {
            data: components["schemas"]["Recording"][];
            pagination: {
                limit: number;
                nextCursor: string | null;
                page: number | null;
                total: number;
                totalPages: number;
            };
        };
        RecordingStatus: {
            durationMs: number | null;
            /** Format: uuid */
            id: string;
            sizeBytes: number;
            /** @enum {string} */
            status: "recording" | "stopping" | "completed" | "failed";
            /**
             * Format: date-time
             * @example 2026-01-01T00:00:00.000Z
             */
            updatedAt: string;
        };
        StartRecording: {
            config?: components["schemas"]["RecordingConfig"];
            /** Format: uuid */
            sessionId: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createPlaybackUrl: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The URL (`Cache-Control: no-store`) */
            201: {
                headers: {
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlaybackUrl"];
                };
            };
            /** @description Invalid request (validation problem with `errors`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid bearer token (UNAUTHORIZED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such recording, or not yours (RECORDING_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not completed (RECORDING_NOT_COMPLETED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limit exceeded (RATE_LIMITED), see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPlayback: {
        parameters: {
            query?: {
                /** @description `1`: `Content-Disposition: attachment` (a download link) instead of `inline` */
                download?: "0" | "1";
                /** @description Unix seconds; part of the signed URL */
                expires?: string;
                /** @description HMAC of the recording id and `expires`; never logged */
                signature?: string;
            };
            header?: {
                "if-none-match"?: string;
                range?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole media */
            200: {
                headers: {
                    "Accept-Ranges"?: string;
                    /** @description Any origin: the URL is the credential */
                    "Access-Control-Allow-Origin"?: string;
                    /** @description Revalidated on every use (ETag → 304), so a deleted recording stops playing from cache too */
                    "Cache-Control"?: string;
                    /** @description `inline` (`attachment` with `?download=1`); the recording name or id plus the extension, RFC 6266 with `filename*` (RFC 5987) when not ASCII */
                    "Content-Disposition"?: string;
                    "Content-Length"?: number;
                    /** @description Fixed by config.format */
                    "Content-Type"?: string;
                    "Cross-Origin-Resource-Policy"?: string;
                    /** @description The SHA-256 hex of the bytes, quoted */
                    ETag?: string;
                    "X-Content-Type-Options"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description One range of it */
            206: {
                headers: {
                    "Accept-Ranges"?: string;
                    /** @description Any origin: the URL is the credential */
                    "Access-Control-Allow-Origin"?: string;
                    /** @description Revalidated on every use (ETag → 304), so a deleted recording stops playing from cache too */
                    "Cache-Control"?: string;
                    /** @description `inline` (`attachment` with `?download=1`); the recording name or id plus the extension, RFC 6266 with `filename*` (RFC 5987) when not ASCII */
                    "Content-Disposition"?: string;
                    "Content-Length"?: number;
                    "Content-Range"?: string;
                    /** @description Fixed by config.format */
                    "Content-Type"?: string;
                    "Cross-Origin-Resource-Policy"?: string;
                    /** @description The SHA-256 hex of the bytes, quoted */
                    ETag?: string;
                    "X-Content-Type-Options"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Not modified (If-None-Match) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a UUID (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signature missing, malformed or not for this recording (PLAYBACK_URL_INVALID), or expired (PLAYBACK_URL_EXPIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The recording was deleted (RECORDING_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Range outside the content (RANGE_NOT_SATISFIABLE), with Content-Range: bytes *\/size */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headPlayback: {
        parameters: {
            query?: {
                /** @description `1`: `Content-Disposition: attachment` (a download link) instead of `inline` */
                download?: "0" | "1";
                /** @description Unix seconds; part of the signed URL */
                expires?: string;
                /** @description HMAC of the recording id and `expires`; never logged */
                signature?: string;
            };
            header?: {
                "if-none-match"?: string;
                range?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whole-media headers */
            200: {
                headers: {
                    "Accept-Ranges"?: string;
                    /** @description Any origin: the URL is the credential */
                    "Access-Control-Allow-Origin"?: string;
                    /** @description Revalidated on every use (ETag → 304), so a deleted recording stops playing from cache too */
                    "Cache-Control"?: string;
                    /** @description `inline` (`attachment` with `?download=1`); the recording name or id plus the extension, RFC 6266 with `filename*` (RFC 5987) when not ASCII */
                    "Content-Disposition"?: string;
                    "Content-Length"?: number;
                    /** @description Fixed by config.format */
                    "Content-Type"?: string;
                    "Cross-Origin-Resource-Policy"?: string;
                    /** @description The SHA-256 hex of the bytes, quoted */
                    ETag?: string;
                    "X-Content-Type-Options"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Range headers */
            206: {
                headers: {
                    "Accept-Ranges"?: string;
                    /** @description Any origin: the URL is the credential */
                    "Access-Control-Allow-Origin"?: string;
                    /** @description Revalidated on every use (ETag → 304), so a deleted recording stops playing from cache too */
                    "Cache-Control"?: string;
                    /** @description `inline` (`attachment` with `?download=1`); the recording name or id plus the extension, RFC 6266 with `filename*` (RFC 5987) when not ASCII */
                    "Content-Disposition"?: string;
                    "Content-Length"?: number;
                    "Content-Range"?: string;
                    /** @description Fixed by config.format */
                    "Content-Type"?: string;
                    "Cross-Origin-Resource-Policy"?: string;
                    /** @description The SHA-256 hex of the bytes, quoted */
                    ETag?: string;
                    "X-Content-Type-Options"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not modified (If-None-Match) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The id is not a UUID (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signature missing, malformed or not for this recording (PLAYBACK_URL_INVALID), or expired (PLAYBACK_URL_EXPIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The recording was deleted (RECORDING_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Range outside the content (RANGE_NOT_SATISFIABLE) */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A backend is unavailable (DEPENDENCY_UNAVAILABLE) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
