/** Bundles the recorder page into `outdir` (default apps/recorder/dist); resolves with it. */
export function buildRecorderPage(outdir?: string): Promise<string>
