import type { IdGenerator } from '../ports/id-generator.js'
import { webCrypto } from './web-crypto.js'

/** Random (v4) UUIDs from the platform's Web Crypto. */
export class RandomIds implements IdGenerator {
  newId(): string {
    return webCrypto().randomUUID()
  }
}
