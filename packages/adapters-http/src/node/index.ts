// node:http pieces the server needs before the app exists (it listens while it starts); this entry
// loads neither Hono nor zod, unlike the package's main entry.
export { answerClientError } from './client-error.js'
export { StrictServerResponse } from './strict-server-response.js'
