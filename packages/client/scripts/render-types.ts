import openapiTS, { astToString } from 'openapi-typescript'

const HEADER = `// Generated from the service's served /openapi.json by openapi-typescript; do not edit.
// Regenerate: pnpm --filter @rec/client generate [url]  (test/api-types-drift.int.test.ts fails on drift)
`

/** The TypeScript declarations of an OpenAPI document, as committed in `src/api-types.gen.ts`. */
export async function renderTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true })
  return HEADER + astToString(ast)
}
