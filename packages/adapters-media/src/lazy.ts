import type { MediaFacts, MediaProbe, MediaRemuxer, ProbeSource } from '@rec/domain'

/**
 * The mediabunny adapters, loaded on their first use rather than at start-up: the library holds
 * about 20 MB of memory once imported, and a server that completes no recording never needs it
 * (`@rec/adapters-media/lazy`; the service's idle footprint, bench/NOTES.md).
 */
export class LazyMediaProbe implements MediaProbe {
  readonly #options: { maxCacheBytes?: number }
  #loaded: Promise<MediaProbe> | null = null

  constructor(options: { maxCacheBytes?: number } = {}) {
    this.#options = options
  }

  async probe(source: ProbeSource): Promise<MediaFacts> {
    this.#loaded ??= import('./mediabunny-media-probe.js').then(
      ({ MediabunnyMediaProbe }) => new MediabunnyMediaProbe(this.#options),
    )
    return (await this.#loaded).probe(source)
  }
}

/** The remuxer, loaded on its first use (see LazyMediaProbe). */
export class LazyMediaRemuxer implements MediaRemuxer {
  readonly #options: { tmpDir?: string; maxCacheBytes?: number }
  #loaded: Promise<MediaRemuxer> | null = null

  constructor(options: { tmpDir?: string; maxCacheBytes?: number } = {}) {
    this.#options = options
  }

  async seekableCopy(source: ProbeSource): Promise<AsyncIterable<Uint8Array> | null> {
    this.#loaded ??= import('./mediabunny-media-remuxer.js').then(
      ({ MediabunnyMediaRemuxer }) => new MediabunnyMediaRemuxer(this.#options),
    )
    return (await this.#loaded).seekableCopy(source)
  }
}
