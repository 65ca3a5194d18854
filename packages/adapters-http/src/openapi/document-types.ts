import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env.js'

/** The OpenAPI 3.1 document the generator builds, and its parts, without importing openapi3-ts. */
export type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>
export type PathItem = NonNullable<OpenApiDocument['paths']>[string]
export type Operation = NonNullable<PathItem['get']>
export type Parameter = NonNullable<Operation['parameters']>[number]
export type ResponseEntry = NonNullable<Operation['responses']>[string]
export type Components = NonNullable<OpenApiDocument['components']>
export type SchemaEntry = NonNullable<NonNullable<Components['schemas']>[string]>
export type HeaderEntry = NonNullable<NonNullable<Components['headers']>[string]>

export const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const

/** Every operation with its path and method. */
export function* operationsOf(document: OpenApiDocument): Generator<[string, string, Operation]> {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method]
      if (operation) yield [path, method, operation]
    }
  }
}
