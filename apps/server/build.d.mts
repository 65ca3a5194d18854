/** Bundles the server for `pnpm start` into apps/server/bundle; resolves with that directory. */
export function buildServer(): Promise<string>
