import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'x'.repeat(32) }

describe('RECORDER_PAGE', () => {
  it.each([
    [{}, true, true],
    [{ RECORDER_PAGE: 'off' }, false, false],
    [{ NODE_ENV: 'test' }, false, false],
    [{ NODE_ENV: 'test', RECORDER_PAGE: 'on' }, true, false],
    [production, false, false],
    [{ ...production, RECORDER_PAGE: 'on' }, true, false],
  ])('%o → page %s, development token %s', (env, page, devToken) => {
    expect(loadConfig(env)).toMatchObject({ recorderPage: page, devToken })
  })

  it('refuses anything but on and off, naming the variable', () => {
    expect(() => loadConfig({ RECORDER_PAGE: 'yes' })).toThrow(ConfigError)
    expect(() => loadConfig({ RECORDER_PAGE: 'yes' })).toThrow(
      /^invalid configuration: RECORDER_PAGE .*\(got "yes"\)$/,
    )
  })
})
