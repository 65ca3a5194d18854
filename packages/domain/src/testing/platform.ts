/**
 * Globals of every runtime the contract suites run on (Node, browsers), typed here because the
 * domain compiles without DOM or Node types, so its own code cannot lean on them by accident.
 */
interface Platform {
  setTimeout(callback: (value?: unknown) => void, ms: number): unknown
  readonly TextEncoder: new () => { encode(text: string): Uint8Array }
  readonly TextDecoder: new () => { decode(bytes?: Uint8Array, options?: { stream?: boolean }): string }
}

export const platform = globalThis as unknown as Platform
