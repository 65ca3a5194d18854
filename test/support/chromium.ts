import { existsSync } from 'node:fs'

/** Debian's chromium, driven by playwright-core (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Why the browser suites cannot run here, or null; suites put it in their skip name. */
export const CHROMIUM_MISSING: string | null = existsSync(CHROMIUM)
  ? null
  : `no ${CHROMIUM} (.ci/run installs it)`

/**
 * Launch flags for headless Chromium as root without network extras; `camera` adds the fake
 * camera and microphone (granted without a prompt), `autoplay` lets a `<video>` play unprompted.
 */
export function chromiumArgs({ camera = false, autoplay = false } = {}): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(camera ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
    ...(autoplay ? ['--autoplay-policy=no-user-gesture-required'] : []),
  ]
}
