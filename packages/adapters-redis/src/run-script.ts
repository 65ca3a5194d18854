import { createHash } from 'node:crypto'

export type ScriptOptions = { keys: string[]; arguments: string[] }

/** The commands a Lua script needs; a node-redis client satisfies it. */
export interface ScriptCommands {
  evalSha(sha: string, options: ScriptOptions): Promise<unknown>
  eval(script: string, options: ScriptOptions): Promise<unknown>
}

/** A Lua script and its SHA1, for EVALSHA. */
export interface LuaScript {
  readonly source: string
  readonly sha: string
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

/**
 * EVALSHA, and EVAL once when Redis forgot the script (a restart, SCRIPT FLUSH), which caches it
 * again: one round trip in the usual case.
 */
export function runScript(
  redis: ScriptCommands,
  script: LuaScript,
  options: ScriptOptions,
): Promise<unknown> {
  return redis.evalSha(script.sha, options).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith('NOSCRIPT'))
      return redis.eval(script.source, options)
    throw error
  })
}
