/** Bundles the server for `pnpm start` into `outdir` (default apps/server/bundle); resolves with it. */
export function buildServer(outdir?: string): Promise<string>
